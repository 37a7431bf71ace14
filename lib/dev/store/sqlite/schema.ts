import { rollback, type SqlDatabase } from "./driver.js";
import { parseStoredSpan } from "../span-row.js";
import type { StoredSpan } from "../span-types.js";

/**
 * Versioned schema: `PRAGMA user_version` holds the number of migrations
 * applied; each runs once, in order, inside one transaction.
 */
/** What migrations need of the store. */
export interface MigrationHooks {
  /** Counts a row that could not be read. */
  onCorrupt(): void;
  /** Writes spans read from an older layout through the current write path (inside the migration's transaction). */
  write(spans: StoredSpan[]): void;
}

interface Migration {
  /** What the step does, for error messages. */
  name: string;
  apply(db: SqlDatabase, hooks: MigrationHooks): void;
}

/** The columns of a trace rollup row, as carried from one layout to the next. */
const TRACE_FIELDS =
  "trace_id, offline, project_id, root_name, root_span_id, root_span_type, start_ns, end_ns, span_count, error_count, open_count, " +
  "status, session_id, customer_id, customer_user_id, input_tokens, output_tokens, cost_usd, input_preview, output_preview, run, updated_at";

const MIGRATIONS: Migration[] = [
  {
    // The first release kept each span as one JSON row beside an in-memory index.
    name: "json rows",
    apply(db) {
      db.exec(`
CREATE TABLE IF NOT EXISTS spans (
  offline INTEGER NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, update_id INTEGER NOT NULL, span TEXT NOT NULL,
  PRIMARY KEY (offline, trace_id, span_id));
CREATE TABLE IF NOT EXISTS trace_tags (trace_id TEXT PRIMARY KEY, tags TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (name TEXT PRIMARY KEY, id TEXT NOT NULL);`);
    },
  },
  {
    name: "queryable spans and trace rollups",
    apply(db, hooks) {
      db.exec(`
ALTER TABLE spans RENAME TO spans_v1;
CREATE TABLE spans (
  id INTEGER PRIMARY KEY,
  offline INTEGER NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT,
  project_id TEXT NOT NULL, name TEXT NOT NULL, span_type TEXT NOT NULL, status TEXT NOT NULL,
  start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, update_id INTEGER NOT NULL, received_at INTEGER NOT NULL,
  session_id TEXT, customer_id TEXT, customer_user_id TEXT,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL,
  link_trace_id TEXT, run TEXT,
  body TEXT NOT NULL);
CREATE UNIQUE INDEX spans_key ON spans (trace_id, offline, span_id);
CREATE INDEX spans_link ON spans (link_trace_id) WHERE link_trace_id IS NOT NULL;
CREATE TABLE traces (
  trace_id TEXT NOT NULL, offline INTEGER NOT NULL, project_id TEXT NOT NULL,
  root_name TEXT NOT NULL, root_span_id TEXT NOT NULL, root_span_type TEXT NOT NULL,
  start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
  span_count INTEGER NOT NULL, error_count INTEGER NOT NULL, open_count INTEGER NOT NULL, status TEXT NOT NULL,
  session_id TEXT, customer_id TEXT, customer_user_id TEXT,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL,
  input_preview TEXT, output_preview TEXT, run TEXT, updated_at INTEGER NOT NULL,
  PRIMARY KEY (trace_id, offline)) WITHOUT ROWID;
CREATE INDEX traces_start ON traces (start_ns);
CREATE INDEX traces_project ON traces (project_id, start_ns);
CREATE INDEX traces_session ON traces (session_id, start_ns) WHERE session_id IS NOT NULL;
CREATE INDEX traces_customer ON traces (customer_id, start_ns) WHERE customer_id IS NOT NULL;
CREATE INDEX traces_status ON traces (status, start_ns);
CREATE INDEX traces_updated ON traces (updated_at);
CREATE TABLE tags (trace_id TEXT NOT NULL, seq INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (trace_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);`);
      for (const row of db.prepare("SELECT trace_id, tags FROM trace_tags").all()) {
        let tags: unknown;
        try {
          tags = JSON.parse(String(row["tags"]));
        } catch {
          tags = undefined;
        }
        if (!Array.isArray(tags)) {
          hooks.onCorrupt();
          continue;
        }
        const insert = db.prepare("INSERT OR IGNORE INTO tags (trace_id, seq, tag) VALUES (?, ?, ?)");
        tags.forEach((tag, i) => typeof tag === "string" && insert.run(String(row["trace_id"]), i, tag));
      }
      // spans_v1 is carried over by the last migration, through the write path of the current layout.
      db.exec("DROP TABLE trace_tags;");
    },
  },
  {
    // Spans keyed by an integer per trace, handed out in arrival order: new traces append to the span index
    // instead of landing at random places in it (trace ids are random), which keeps ingest fast as the store grows.
    // The list indexes end in the full sort key, so a page is read in index order, never sorted.
    name: "spans keyed by trace number",
    apply(db) {
      db.exec(`
CREATE TABLE traces_v3 (
  tid INTEGER PRIMARY KEY,
  trace_id TEXT NOT NULL, offline INTEGER NOT NULL, project_id TEXT NOT NULL,
  root_name TEXT NOT NULL, root_span_id TEXT NOT NULL, root_span_type TEXT NOT NULL,
  start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
  span_count INTEGER NOT NULL, error_count INTEGER NOT NULL, open_count INTEGER NOT NULL, status TEXT NOT NULL,
  session_id TEXT, customer_id TEXT, customer_user_id TEXT,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL,
  input_preview TEXT, output_preview TEXT, run TEXT, updated_at INTEGER NOT NULL);
INSERT INTO traces_v3 (${TRACE_FIELDS}) SELECT ${TRACE_FIELDS} FROM traces ORDER BY updated_at, start_ns;
DROP TABLE traces;
ALTER TABLE traces_v3 RENAME TO traces;
CREATE UNIQUE INDEX traces_key ON traces (trace_id, offline);
CREATE INDEX traces_start ON traces (start_ns, trace_id, offline);
CREATE INDEX traces_project ON traces (project_id, start_ns, trace_id, offline);
CREATE INDEX traces_session ON traces (session_id, start_ns, trace_id, offline) WHERE session_id IS NOT NULL;
CREATE INDEX traces_customer ON traces (customer_id, start_ns, trace_id, offline) WHERE customer_id IS NOT NULL;
CREATE INDEX traces_status ON traces (status, start_ns, trace_id, offline);
CREATE INDEX traces_updated ON traces (updated_at);
ALTER TABLE spans ADD COLUMN tid INTEGER NOT NULL DEFAULT 0;
UPDATE spans SET tid = coalesce((SELECT t.tid FROM traces t WHERE t.trace_id = spans.trace_id AND t.offline = spans.offline), 0);
DELETE FROM spans WHERE tid = 0;
DROP INDEX spans_key;
CREATE UNIQUE INDEX spans_key ON spans (tid, span_id);`);
      // spans_v1 (of a first-release database) is carried over after the last migration, through the current write path.
    },
  },
  {
    // The sessions view reads the newest traces that have a session: in start order, without visiting the others.
    name: "index of traces with a session by start time",
    apply(db) {
      db.exec("CREATE INDEX traces_with_session ON traces (start_ns, trace_id, offline) WHERE session_id IS NOT NULL;");
    },
  },
  {
    // Lean span rows, for ingest speed: what the trace row already holds (trace id, side) is no longer repeated on each
    // span, the project, resource and scope are one shared origin row, and the body keeps only what no column holds.
    // The status index holds only traces with errors (the one status filter it serves), not one entry per trace.
    name: "lean span rows with shared origins",
    apply(db) {
      const valid = "json_valid(s.body) AND json_type(s.body) = 'object'";
      const resource = `CASE WHEN ${valid} THEN coalesce(json_extract(s.body, '$.resource'), '{}') ELSE '{}' END`;
      const scope = `CASE WHEN ${valid} THEN coalesce(json_extract(s.body, '$.scope'), '${EMPTY_SCOPE}') ELSE '${EMPTY_SCOPE}' END`;
      const body = `CASE WHEN ${valid} THEN json_remove(
          json_set(s.body, '$.statusMessage', json_extract(s.body, '$.status.message'),
            '$.start', json_extract(s.body, '$.startTimeUnixNano'), '$.end', json_extract(s.body, '$.endTimeUnixNano')),
          '$.traceId', '$.spanId', '$.parentSpanId', '$.name', '$.spanType', '$.startTimeUnixNano', '$.endTimeUnixNano',
          '$.durationMs', '$.ended', '$.status', '$.resource', '$.scope', '$.updateId', '$.offline', '$.projectId', '$.receivedAt')
        ELSE s.body END`;
      db.exec(`
CREATE TABLE origins (id INTEGER PRIMARY KEY, project_id TEXT NOT NULL, resource TEXT NOT NULL, scope TEXT NOT NULL, run TEXT);
CREATE UNIQUE INDEX origins_key ON origins (project_id, resource, scope);
INSERT OR IGNORE INTO origins (project_id, resource, scope, run) SELECT s.project_id, ${resource}, ${scope}, s.run FROM spans s ORDER BY s.id;
CREATE TABLE spans_v5 (${SPAN_TABLE});
INSERT INTO spans_v5 (id, tid, span_id, parent_span_id, name, span_type, status, start_ns, end_ns, update_id, received_at, origin,
    session_id, customer_id, customer_user_id, input_tokens, output_tokens, cost_usd, link_trace_id, body)
  SELECT s.id, s.tid, s.span_id, s.parent_span_id, s.name, s.span_type, s.status, s.start_ns, s.end_ns, s.update_id, s.received_at,
    (SELECT o.id FROM origins o WHERE o.project_id = s.project_id AND o.resource = ${resource} AND o.scope = ${scope}),
    s.session_id, s.customer_id, s.customer_user_id, s.input_tokens, s.output_tokens, s.cost_usd, s.link_trace_id, ${body}
  FROM spans s;
DROP TABLE spans;
ALTER TABLE spans_v5 RENAME TO spans;
${SPAN_INDEXES}
DROP INDEX traces_status;
CREATE INDEX traces_errors ON traces (start_ns, trace_id, offline) WHERE status = 'error';`);
    },
  },
  {
    // The sessions view reads thousands of the newest traces that have a session, a few columns of each: held in the
    // index itself, they are read from its pages in order instead of from rows scattered across the traces table.
    // The experiments view reads the newest offline traces: their own index, rather than a scan past every live trace.
    name: "indexes for the sessions and experiments views",
    apply(db) {
      db.exec(`
DROP INDEX traces_with_session;
CREATE INDEX traces_with_session ON traces
  (start_ns, trace_id, offline, project_id, session_id, customer_id, error_count, input_tokens, output_tokens, cost_usd)
  WHERE session_id IS NOT NULL;
CREATE INDEX traces_offline ON traces (start_ns, trace_id, offline) WHERE offline = 1;`);
    },
  },
  {
    // A trace's spans are read in pages in start order (a 50,000-span trace no longer in one read), and the spans of
    // a trace that carry a link are found without visiting the others.
    name: "indexes of a trace's spans by start time and by link",
    apply(db) {
      db.exec(`
CREATE INDEX spans_time ON spans (tid, start_ns);
CREATE INDEX spans_linked ON spans (tid) WHERE link_trace_id IS NOT NULL;`);
    },
  },
  {
    // The legacy list answers a total: counted per project and side as traces come and go, not by reading every trace.
    name: "trace counts per project and side",
    apply(db) {
      db.exec(`
CREATE TABLE trace_counts (project_id TEXT NOT NULL, offline INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (project_id, offline))
  WITHOUT ROWID;
INSERT INTO trace_counts (project_id, offline, n) SELECT project_id, offline, count(*) FROM traces GROUP BY project_id, offline;
CREATE TRIGGER traces_counted AFTER INSERT ON traces BEGIN
  INSERT INTO trace_counts (project_id, offline, n) VALUES (new.project_id, new.offline, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER traces_uncounted AFTER DELETE ON traces BEGIN
  UPDATE trace_counts SET n = n - 1 WHERE project_id = old.project_id AND offline = old.offline;
END;
CREATE TRIGGER traces_recounted AFTER UPDATE OF project_id, offline ON traces
  WHEN old.project_id IS NOT new.project_id OR old.offline IS NOT new.offline BEGIN
  UPDATE trace_counts SET n = n - 1 WHERE project_id = old.project_id AND offline = old.offline;
  INSERT INTO trace_counts (project_id, offline, n) VALUES (new.project_id, new.offline, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;`);
    },
  },
];

const EMPTY_SCOPE = '{"name":"","version":""}';

/** The span table of the current layout (a fresh database gets it through the migrations above). */
const SPAN_TABLE = `id INTEGER PRIMARY KEY, tid INTEGER NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT,
  name TEXT NOT NULL, span_type TEXT NOT NULL, status TEXT NOT NULL,
  start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, update_id INTEGER NOT NULL, received_at INTEGER NOT NULL, origin INTEGER NOT NULL,
  session_id TEXT, customer_id TEXT, customer_user_id TEXT,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL, link_trace_id TEXT,
  body TEXT NOT NULL`;
const SPAN_INDEXES = `CREATE UNIQUE INDEX spans_key ON spans (tid, span_id);
CREATE INDEX spans_link ON spans (link_trace_id) WHERE link_trace_id IS NOT NULL;`;

/** Writes the spans of a first-release table (`spans_v1`) through the current write path, then drops it. */
function carryLegacySpans(db: SqlDatabase, hooks: MigrationHooks): void {
  const legacy = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'spans_v1'").get();
  if (legacy === undefined) return;
  const legacySpans: StoredSpan[] = [];
  for (const row of db.prepare("SELECT span FROM spans_v1").all()) {
    const span = parseStoredSpan(row["span"]);
    if (span) legacySpans.push(span);
    else hooks.onCorrupt();
  }
  hooks.write(legacySpans);
  db.exec("DROP TABLE spans_v1;");
}

/** Number of migrations this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to {@link SCHEMA_VERSION}; refuses a database written by a newer version. */
export function migrate(db: SqlDatabase, hooks: MigrationHooks): void {
  const current = Number(db.prepare("PRAGMA user_version").get()?.["user_version"] ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `the database has schema version ${current}, newer than this judgeval (${SCHEMA_VERSION}); upgrade judgeval or use another --data directory`,
    );
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    db.exec("BEGIN IMMEDIATE");
    try {
      step.apply(db, hooks);
      if (v + 1 === SCHEMA_VERSION) carryLegacySpans(db, hooks);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    } catch (err) {
      rollback(db);
      throw new Error(`database migration ${v + 1} (${step.name}) failed: ${(err as Error).message}`);
    }
  }
}
