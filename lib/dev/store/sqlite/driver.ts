/**
 * One synchronous SQLite API over the engines the supported runtimes have: `node:sqlite`
 * (Node >= 22.13, Deno, recent Bun) and `bun:sqlite` (Bun). Both are fetched with
 * `process.getBuiltinModule`, so bundlers see no `require` of them.
 */

/** A value SQLite accepts as a parameter or returns in a row. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A row as returned by a query: column name to value. */
export type SqlRow = Record<string, SqlValue>;

/** A prepared statement. */
export interface SqlStatement {
  /** Runs the statement; returns the number of rows it changed. */
  run(...params: SqlValue[]): number;
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
  /**
   * The rows as arrays of their column values, in the statement's column order: for reads of thousands of rows,
   * where the engine builds an array per row far faster than an object, and reading it is an index, not a lookup.
   * The columns' names must be distinct: an engine without array rows answers objects, read back in column order.
   */
  values(...params: SqlValue[]): SqlValue[][];
  /** Like {@link values}, handing each row to `each` as it is read: the rows before one that fails are not lost with it. */
  eachValues(params: SqlValue[], each: (row: SqlValue[]) => void): void;
}

/** An open database. */
export interface SqlDatabase {
  /** Which engine serves it: `node:sqlite` or `bun:sqlite`. */
  readonly driver: string;
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}

interface RawStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** bun:sqlite: the rows as arrays. */
  values?(...params: unknown[]): unknown[][];
  iterate?(...params: unknown[]): Iterable<unknown>;
  /** node:sqlite (Node >= 22.16): makes `all` answer arrays. */
  setReturnArrays?(enabled: boolean): void;
}
interface RawDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): RawStatement;
  close(): unknown;
}
/** How to open a file: `readOnly` never writes it (no journal recovery, no schema change). */
interface OpenOptions {
  readOnly?: boolean;
}
type Open = (file: string, options: OpenOptions) => RawDatabase;

function wrap(driver: string, raw: RawDatabase): SqlDatabase {
  return {
    driver,
    exec: (sql) => void raw.exec(sql),
    prepare(sql) {
      const stmt = raw.prepare(sql);
      return {
        run: (...params) => Number((stmt.run(...params) as { changes?: number | bigint } | undefined)?.changes ?? 0),
        // bun:sqlite answers null for "no row", the others undefined.
        get: (...params) => (stmt.get(...params) ?? undefined) as SqlRow | undefined,
        all: (...params) => stmt.all(...params) as SqlRow[],
        values: (...params) => rowValues(stmt, params),
        eachValues: (params, each) => eachRowValues(stmt, params, each),
      };
    },
    close: () => void raw.close(),
  };
}

function rowValues(stmt: RawStatement, params: unknown[]): SqlValue[][] {
  if (stmt.values) return stmt.values(...params) as SqlValue[][];
  if (!stmt.setReturnArrays) return (stmt.all(...params) as SqlRow[]).map((row) => Object.values(row));
  stmt.setReturnArrays(true);
  try {
    return stmt.all(...params) as SqlValue[][];
  } finally {
    stmt.setReturnArrays(false);
  }
}

function eachRowValues(stmt: RawStatement, params: unknown[], each: (row: SqlValue[]) => void): void {
  if (!stmt.iterate) return rowValues(stmt, params).forEach((row) => each(row));
  stmt.setReturnArrays?.(true);
  const rows = stmt.iterate(...params)[Symbol.iterator]();
  try {
    for (let next = rows.next(); !next.done; next = rows.next()) {
      const row = next.value;
      each((Array.isArray(row) ? row : Object.values(row as SqlRow)) as SqlValue[]);
    }
  } finally {
    // Ends the statement even when a step failed: a statement left running keeps its read transaction open.
    rows.return?.();
    stmt.setReturnArrays?.(false);
  }
}

type GetBuiltin = (id: string) => unknown;

function builtin(id: string): unknown {
  const get = (process as unknown as { getBuiltinModule?: GetBuiltin }).getBuiltinModule;
  try {
    return get?.(id);
  } catch {
    return undefined;
  }
}

function nodeSqlite(): Open | undefined {
  const mod = builtin("node:sqlite") as { DatabaseSync?: new (file: string, o: object) => RawDatabase } | undefined;
  const DatabaseSync = mod?.DatabaseSync;
  return DatabaseSync && ((file, { readOnly = false }) => new DatabaseSync(file, { readOnly }));
}

function bunSqlite(): Open | undefined {
  if (!("Bun" in globalThis)) return undefined;
  const mod = builtin("bun:sqlite") as { Database?: new (file: string, o: object) => RawDatabase } | undefined;
  const Database = mod?.Database;
  return Database && ((file, { readOnly = false }) => new Database(file, readOnly ? { readonly: true } : { create: true, strict: false }));
}

/** The engine this runtime offers, or why there is none. */
export type DriverChoice =
  { driver: string; open(file: string, options?: OpenOptions): SqlDatabase } | { driver: undefined; reason: string };

let chosen: Promise<DriverChoice> | undefined;

function choose(): DriverChoice {
  const candidates: [string, Open | undefined][] = [
    ["bun:sqlite", bunSqlite()],
    ["node:sqlite", nodeSqlite()],
  ];
  for (const [driver, open] of candidates) {
    if (open) return { driver, open: (file, options = {}) => wrap(driver, open(file, options)) };
  }
  return { driver: undefined, reason: "no SQLite engine in this runtime (node:sqlite needs Node >= 22.13)" };
}

/** Finds the SQLite engine of this runtime (once per process). */
export function sqliteDriver(): Promise<DriverChoice> {
  chosen ??= Promise.resolve(choose());
  return chosen;
}

/** Rolls back the open transaction, if SQLite has not already done so (it does on SQLITE_FULL). */
export function rollback(db: SqlDatabase): void {
  try {
    db.exec("ROLLBACK");
  } catch {
    // no transaction is active any more
  }
}
