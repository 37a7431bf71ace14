import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ProjectRecord } from "./projects.js";
import type { StoreSink } from "./span-store.js";
import type { StoredSpan } from "../types.js";

/** File name of the database inside the data directory. */
export const DATABASE_FILE = "judgeval-dev.sqlite";

// The slice of better-sqlite3's API used here. Declared locally so that the
// package's type declarations never depend on an optional dependency.
interface Statement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): unknown;
}
type DatabaseConstructor = new (filename: string) => Database;

const SCHEMA_VERSION = 1;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS spans (
  offline INTEGER NOT NULL,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  update_id INTEGER NOT NULL,
  span TEXT NOT NULL,
  PRIMARY KEY (offline, trace_id, span_id)
);
CREATE TABLE IF NOT EXISTS trace_tags (trace_id TEXT PRIMARY KEY, tags TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (name TEXT PRIMARY KEY, id TEXT NOT NULL);
`;

/** Everything a database holds, for loading into the in-memory store. */
export interface PersistedData {
  spans: StoredSpan[];
  tags: [string, string[]][];
  projects: ProjectRecord[];
}

/** Thrown when persistence was asked for but better-sqlite3 cannot be loaded. */
export class PersistenceUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      "persistence needs the optional dependency better-sqlite3, which failed to load " +
        `(${(cause as Error)?.message ?? String(cause)}); reinstall with a C++ toolchain available, or run without a data path`,
    );
    this.name = "PersistenceUnavailableError";
  }
}

// A variable specifier keeps TypeScript from requiring the optional package's types.
const DRIVER_MODULE = "better-sqlite3";

async function loadDriver(): Promise<DatabaseConstructor> {
  try {
    const mod = (await import(DRIVER_MODULE)) as { default: DatabaseConstructor };
    return mod.default;
  } catch (err) {
    throw new PersistenceUnavailableError(err);
  }
}

/**
 * Write-through persistence of the span store in one SQLite file. Rows hold the
 * stored span as JSON: the in-memory store is the query index, the database only
 * has to survive restarts. The upsert keeps the highest update id on its own, so
 * the file stays folded even if written by an older process.
 */
export class SqlitePersistence implements StoreSink {
  private readonly upsertSpans: (spans: StoredSpan[]) => void;
  private readonly upsertTags: Statement;
  private readonly insertProject: Statement;

  private constructor(private readonly db: Database) {
    const upsertSpan = db.prepare(
      `INSERT INTO spans (offline, trace_id, span_id, update_id, span) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (offline, trace_id, span_id) DO UPDATE SET update_id = excluded.update_id, span = excluded.span
       WHERE excluded.update_id >= spans.update_id`,
    );
    this.upsertSpans = db.transaction((spans: StoredSpan[]) => {
      for (const s of spans) upsertSpan.run(s.offline ? 1 : 0, s.traceId, s.spanId, s.updateId, JSON.stringify(s));
    });
    this.upsertTags = db.prepare(
      "INSERT INTO trace_tags (trace_id, tags) VALUES (?, ?) ON CONFLICT (trace_id) DO UPDATE SET tags = excluded.tags",
    );
    this.insertProject = db.prepare("INSERT OR IGNORE INTO projects (name, id) VALUES (?, ?)");
  }

  /**
   * Opens (creating when needed) the database in directory `dataPath`.
   * @throws PersistenceUnavailableError when better-sqlite3 is not installed or not built.
   */
  static async open(dataPath: string): Promise<SqlitePersistence> {
    const Driver = await loadDriver();
    mkdirSync(dataPath, { recursive: true });
    const db = new Driver(join(dataPath, DATABASE_FILE));
    try {
      db.pragma("journal_mode = WAL");
      // A dev tool can lose the last transaction on power loss; it must not be slow.
      db.pragma("synchronous = NORMAL");
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new SqlitePersistence(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Reads everything stored. */
  load(): PersistedData {
    const spans = (this.db.prepare("SELECT span FROM spans").all() as { span: string }[]).map(
      (row) => JSON.parse(row.span) as StoredSpan,
    );
    const tags = (this.db.prepare("SELECT trace_id, tags FROM trace_tags").all() as { trace_id: string; tags: string }[]).map(
      (row): [string, string[]] => [row.trace_id, JSON.parse(row.tags) as string[]],
    );
    const projects = this.db.prepare("SELECT name, id FROM projects").all() as ProjectRecord[];
    return { spans, tags, projects };
  }

  spansStored(spans: StoredSpan[]): void {
    this.upsertSpans(spans);
  }

  tagsChanged(traceId: string, tags: string[]): void {
    this.upsertTags.run(traceId, JSON.stringify(tags));
  }

  projectAdded(project: ProjectRecord): void {
    this.insertProject.run(project.name, project.id);
  }

  close(): void {
    this.db.close();
  }
}
