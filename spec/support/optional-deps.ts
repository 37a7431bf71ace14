/** The part of a node:sqlite connection the specs use. */
export interface SqliteDb {
  exec(sql: string): void;
  prepare(sql: string): { run(...p: unknown[]): unknown; get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] };
  close(): void;
}
type SqliteDriver = new (file: string) => SqliteDb;

/**
 * True when the dev store has a SQLite engine in this runtime: `node:sqlite` (Node >= 22.13; the
 * specs run on Node).
 */
export function sqliteAvailable(): boolean {
  return sqliteDriver() !== undefined;
}

function sqliteDriver(): SqliteDriver | undefined {
  const mod = process.getBuiltinModule("node:sqlite") as { DatabaseSync: SqliteDriver } | undefined;
  return mod?.DatabaseSync;
}

/** Opens a SQLite file directly (as another tool would) with the engine this runtime has. */
export function openSqlite(file: string): SqliteDb {
  const Driver = sqliteDriver();
  if (!Driver) throw new Error("no SQLite engine in this runtime");
  return new Driver(file);
}

/** True under CI, where a missing test prerequisite is a failure rather than a skip. */
export const isCI = (): boolean => !!process.env["CI"] && process.env["CI"] !== "false" && process.env["CI"] !== "0";

/**
 * `describe` when SQLite works; otherwise a skip with a message, or under CI an error, since
 * persistence is then untested.
 */
export function describeWithSqlite(name: string, body: () => void): void {
  if (sqliteAvailable()) return describe(name, body);
  if (isCI()) throw new Error("no SQLite engine (node:sqlite needs Node >= 22.13); CI must test persistence");
  console.warn(`${name} SKIPPED: no SQLite engine (node:sqlite needs Node >= 22.13)`);
  describe.skip(name, body);
}
