import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { sqliteDriver } from "./sqlite/driver.js";
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

/**
 * Opens the store: SQLite in `dataPath` (directory 0700, files 0600) when given,
 * else an in-memory SQLite database.
 * @throws PersistenceUnavailableError when the runtime has no SQLite engine.
 */
export async function openStore(dataPath: string | undefined, retention: RetentionOptions = {}): Promise<TraceStore> {
  const choice = await sqliteDriver();
  if (choice.driver === undefined) throw new PersistenceUnavailableError(choice.reason);
  const maxAgeMs = retention.maxAgeMs ?? DEFAULT_RETENTION.maxAgeMs;
  if (dataPath !== undefined) {
    if (!existsSync(dataPath)) mkdirSync(dataPath, { recursive: true, mode: 0o700 });
    chmodSync(dataPath, 0o700);
    const file = join(dataPath, DATABASE_FILE);
    privateFile(file);
    const db = choice.open(file);
    try {
      return new SqlStore(db, "sqlite-file", { maxAgeMs, maxBytes: retention.maxBytes ?? DEFAULT_RETENTION.fileBytes });
    } catch (err) {
      db.close();
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
