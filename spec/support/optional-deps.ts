/** True when the optional dependency better-sqlite3 is installed and its native part loads. */
export function sqliteAvailable(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Driver = require("better-sqlite3") as new (file: string) => { close(): void };
    new Driver(":memory:").close();
    return true;
  } catch {
    return false;
  }
}

/** True under CI, where a missing test prerequisite is a failure rather than a skip. */
export const isCI = (): boolean => !!process.env["CI"] && process.env["CI"] !== "false" && process.env["CI"] !== "0";

/**
 * `describe` when better-sqlite3 works; otherwise a skip with a message, or under
 * CI an error, since persistence is then untested.
 */
export function describeWithSqlite(name: string, body: () => void): void {
  if (sqliteAvailable()) return describe(name, body);
  if (isCI()) throw new Error("better-sqlite3 (optional dependency) did not install or build; CI must test persistence");

  console.warn(`${name} SKIPPED: better-sqlite3 is not installed (it needs a C++ toolchain to build)`);
  describe.skip(name, body);
}
