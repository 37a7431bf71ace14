/** The part of a SQLite connection the specs use; node:sqlite and better-sqlite3 both offer it. */
export interface SqliteDb {
  exec(sql: string): void;
  prepare(sql: string): { run(...p: unknown[]): unknown; get(...p: unknown[]): unknown };
  close(): void;
}
type SqliteDriver = new (file: string) => SqliteDb;

/**
 * True when the dev store has a SQLite engine in this runtime, as it looks for one: `node:sqlite`
 * (Node >= 22.13), else the optional better-sqlite3 with its native part built.
 */
export function sqliteAvailable(): boolean {
  return sqliteDriver() !== undefined;
}

const DRIVERS: Array<() => SqliteDriver> = [
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => (require("node:sqlite") as { DatabaseSync: SqliteDriver }).DatabaseSync,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require("better-sqlite3") as SqliteDriver,
];

function sqliteDriver(): SqliteDriver | undefined {
  for (const load of DRIVERS) {
    try {
      const Driver = load();
      new Driver(":memory:").close();
      return Driver;
    } catch {
      // next engine
    }
  }
  return undefined;
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
  if (isCI()) throw new Error("no SQLite engine (node:sqlite needs Node >= 22.13; better-sqlite3 did not build); CI must test persistence");
  console.warn(`${name} SKIPPED: no SQLite engine (Node >= 22.13 has one; else better-sqlite3 needs a C++ toolchain to build)`);
  describe.skip(name, body);
}
