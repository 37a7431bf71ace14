import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDamage } from "./sqlite/damage.js";
import { sqliteDriver } from "./sqlite/driver.js";
import { startIntegrityCheck } from "./sqlite/integrity-check.js";
import { salvageInto, type SalvageReport } from "./sqlite/salvage.js";
import { SqlStore } from "./sqlite/sql-store.js";
import type { TraceStore } from "./trace-store.js";

/** File name of the database inside the data directory. */
export const DATABASE_FILE = "judgeval-dev.sqlite";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Retention defaults: two weeks, 1 GiB on disk, 256 MiB in memory. */
export const DEFAULT_RETENTION = { maxAgeMs: 14 * DAY_MS, fileBytes: 1024 ** 3, memoryBytes: 256 * 1024 ** 2 } as const;

/** Thrown when this runtime has no SQLite engine to keep spans in, on disk or in memory. */
export class PersistenceUnavailableError extends Error {
  constructor(reason: string) {
    super(`persistence is unavailable: ${reason}; use Node >= 22.15, Bun or Deno`);
    this.name = "PersistenceUnavailableError";
  }
}

function privateFile(path: string): void {
  // SQLite gives its -wal and -shm files the database file's permissions.
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
}

/** What to do about a damaged database in `dataPath`: salvage what can be read into a new directory. */
function salvageAdvice(dataPath: string): string {
  const to = `${dataPath}-salvaged`;
  return `to keep what can be read, stop judgeval dev, run \`npx judgeval salvage --data ${dataPath} --to ${to}\`, then start it with \`--data ${to}\``;
}

/**
 * Opens the store: SQLite in `dataPath` (directory 0700, files 0600) when given,
 * else an in-memory SQLite database. A file is checked for damage in the background
 * (see {@link startIntegrityCheck}); `onWarning` hears, once for each kind, of damage
 * found by the check or met by a read or write, with what to do about it.
 * @throws PersistenceUnavailableError when the runtime has no SQLite engine.
 */
export async function openStore(
  dataPath: string | undefined,
  retention: RetentionOptions = {},
  onWarning: (message: string) => void = () => undefined,
): Promise<TraceStore> {
  const choice = await sqliteDriver();
  if (choice.driver === undefined) throw new PersistenceUnavailableError(choice.reason);
  const maxAgeMs = retention.maxAgeMs ?? DEFAULT_RETENTION.maxAgeMs;
  if (dataPath !== undefined) {
    if (!existsSync(dataPath)) mkdirSync(dataPath, { recursive: true, mode: 0o700 });
    chmodSync(dataPath, 0o700);
    const file = join(dataPath, DATABASE_FILE);
    privateFile(file);
    const damaged = (detail: string): string =>
      `the trace database ${file} is damaged (${detail}); judgeval dev serves what it can read and skips the rest, and ` +
      `answers 503 to writes that meet a damaged page (senders retry); ${salvageAdvice(dataPath)}`;
    let db;
    try {
      db = choice.open(file);
      const store = new SqlStore(
        db,
        "sqlite-file",
        { maxAgeMs, maxBytes: retention.maxBytes ?? DEFAULT_RETENTION.fileBytes },
        (_kind, detail) => onWarning(damaged(detail)),
      );
      store.watch(startIntegrityCheck(file, (problems) => onWarning(damaged(`integrity check: ${problems.join("; ")}`))));
      return store;
    } catch (err) {
      db?.close();
      if (isDamage(err))
        throw new Error(
          `the trace database ${file} is damaged and cannot be opened (${(err as Error).message}); ${salvageAdvice(dataPath)}`,
        );
      throw err;
    }
  }
  const maxBytes = retention.maxBytes ?? DEFAULT_RETENTION.memoryBytes;
  return new SqlStore(choice.open(":memory:"), "sqlite-memory", { maxAgeMs, maxBytes });
}

/** How much the store keeps before removing the oldest traces. */
export interface RetentionOptions {
  /** Traces that received no span for longer than this are removed; default 14 days. 0 keeps them. */
  maxAgeMs?: number;
  /**
   * Database size past which the oldest traces are removed (to 90 %); default
   * 1 GiB on disk, 256 MiB in memory. A request that cannot fit even then is
   * answered 507 and nothing of it is stored.
   */
  maxBytes?: number;
}

/**
 * Copies what can be read of the database in `fromPath` (a data directory, read only: it is never written) into a
 * new database in `toPath`, which must not hold one yet. Retention is off while copying: everything readable is kept.
 * @throws Error when `toPath` already holds a database, or `fromPath` holds none or one that cannot be read at all.
 */
export async function salvageStore(fromPath: string, toPath: string): Promise<SalvageReport> {
  const choice = await sqliteDriver();
  if (choice.driver === undefined) throw new PersistenceUnavailableError(choice.reason);
  const source = join(fromPath, DATABASE_FILE);
  const target = join(toPath, DATABASE_FILE);
  if (!existsSync(source)) throw new Error(`no trace database in ${fromPath} (looked for ${source})`);
  if (resolve(source) === resolve(target)) throw new Error("--to must be another directory than --data");
  if (existsSync(target) && statSync(target).size > 0) throw new Error(`${target} already exists: salvage into a new directory`);
  let from;
  try {
    from = choice.open(source, { readOnly: true });
  } catch (err) {
    throw new Error(`cannot open ${source}: ${(err as Error).message}`);
  }
  try {
    const to = await openStore(toPath, { maxAgeMs: 0, maxBytes: Math.max(DEFAULT_RETENTION.fileBytes, 2 * statSync(source).size) });
    try {
      return salvageInto(from, to);
    } finally {
      to.close();
    }
  } catch (err) {
    if (isDamage(err))
      throw new Error(`${source} is damaged beyond reading its schema (${(err as Error).message}); nothing can be salvaged`);
    throw err;
  } finally {
    from.close();
  }
}
