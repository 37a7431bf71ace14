import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { MemoryStore } from "./memory-store.js";
import { sqliteDriver } from "./sqlite/driver.js";
import { SqlStore } from "./sqlite/sql-store.js";
import type { TraceStore } from "./trace-store.js";
import type { RetentionOptions } from "../types.js";

/** File name of the database inside the data directory. */
export const DATABASE_FILE = "judgeval-dev.sqlite";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Retention defaults: two weeks, 1 GiB on disk, 256 MiB in memory. */
export const DEFAULT_RETENTION = { maxAgeMs: 14 * DAY_MS, fileBytes: 1024 ** 3, memoryBytes: 256 * 1024 ** 2 } as const;

/** Thrown when a data path was given but this runtime has no SQLite engine to keep it in. */
export class PersistenceUnavailableError extends Error {
  constructor(reason: string) {
    super(`persistence is unavailable: ${reason}; use Node >= 22.15, Bun or Deno, or run without a data path`);
    this.name = "PersistenceUnavailableError";
  }
}

/** The opened store, and a warning to show once when it is the memory-only fallback. */
export interface OpenedStore {
  store: TraceStore;
  warning?: string;
}

function privateFile(path: string): void {
  // SQLite gives its -wal and -shm files the database file's permissions.
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
}

/**
 * Opens the store: SQLite in `dataPath` (directory 0700, files 0600) when given,
 * else an in-memory SQLite database, else — without any SQLite engine — the
 * bounded JavaScript store with a warning.
 * @throws PersistenceUnavailableError when `dataPath` is given and there is no engine.
 */
export async function openStore(dataPath: string | undefined, retention: RetentionOptions = {}): Promise<OpenedStore> {
  const choice = await sqliteDriver();
  const maxAgeMs = retention.maxAgeMs ?? DEFAULT_RETENTION.maxAgeMs;
  if (dataPath !== undefined) {
    if (choice.driver === undefined) throw new PersistenceUnavailableError(choice.reason);
    if (!existsSync(dataPath)) mkdirSync(dataPath, { recursive: true, mode: 0o700 });
    chmodSync(dataPath, 0o700);
    const file = join(dataPath, DATABASE_FILE);
    privateFile(file);
    const db = choice.open(file);
    try {
      return { store: new SqlStore(db, "sqlite-file", { maxAgeMs, maxBytes: retention.maxBytes ?? DEFAULT_RETENTION.fileBytes }) };
    } catch (err) {
      db.close();
      throw err;
    }
  }
  if (choice.driver !== undefined) {
    const maxBytes = retention.maxBytes ?? DEFAULT_RETENTION.memoryBytes;
    return { store: new SqlStore(choice.open(":memory:"), "sqlite-memory", { maxAgeMs, maxBytes }) };
  }
  return {
    store: new MemoryStore(),
    warning: `${choice.reason}: spans are kept in memory only (at most the newest 100000) and lost when the process stops`,
  };
}
