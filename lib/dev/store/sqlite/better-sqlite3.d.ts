// The optional better-sqlite3 package ships no types of its own; the driver declares the slice it uses.
declare module "better-sqlite3";
