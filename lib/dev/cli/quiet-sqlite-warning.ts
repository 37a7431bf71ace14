/**
 * Loaded first by the package's own commands (`judgeval dev`, and the demo and experiment scripts
 * through `--require`): drops Node 22's one-time "SQLite is an experimental feature" warning, which
 * the local store's `node:sqlite` triggers and which reads like a fault on a first run. Every other
 * warning, experimental or not, still goes through. The library itself never patches `process`.
 */

const SQLITE_WARNING = /^SQLite is an experimental feature\b/;
const quieted = Symbol.for("judgeval.quietSqliteWarning");

/** The warning's type, from any of `emitWarning`'s call forms. */
function warningType(warning: string | Error, typeOrOptions: unknown): unknown {
  if (typeof warning !== "string") return warning.name;
  if (typeof typeOrOptions === "string") return typeOrOptions;
  return (typeOrOptions as { type?: unknown } | undefined)?.type;
}

function isSqliteWarning(warning: unknown, typeOrOptions: unknown): boolean {
  if (typeof warning !== "string" && !(warning instanceof Error)) return false;
  const message = typeof warning === "string" ? warning : warning.message;
  return warningType(warning, typeOrOptions) === "ExperimentalWarning" && SQLITE_WARNING.test(message);
}

const proc = process as typeof process & { [quieted]?: true };
if (!proc[quieted]) {
  proc[quieted] = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (!isSqliteWarning(warning, rest[0])) emit(warning, ...rest);
  };
}
