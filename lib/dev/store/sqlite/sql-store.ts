import { Keys } from "../../../wire/keys.js";
import type { ProjectRecord } from "../projects.js";
import { parseOrigin, readSpanRow, spanBody, type Origin } from "../span-row.js";
import { compareNanos, spanMs } from "../nanos.js";
import { preview, runOf, spanFacts, type SpanFacts } from "../span-facts.js";
import { StoreFullError, type StoreStats, type TraceCursor, type TraceStore } from "../trace-store.js";
import {
  PREVIEW_CHARS,
  type SpanFilter,
  type SpanOutline,
  type StatusCodeName,
  type StorageMode,
  type StoredSpan,
  type TraceQuery,
  type TraceSummary,
} from "../../types.js";
import { rollback, type SqlDatabase, type SqlRow, type SqlStatement, type SqlValue } from "./driver.js";
import { migrate } from "./schema.js";

/** Retention settings with every default filled in. */
export interface Retention {
  maxAgeMs: number;
  maxBytes: number;
}

// Retention is checked after this many stored bytes (a fraction of the budget) or this long.
const PRUNE_CHECK_FRACTION = 0.02;
const PRUNE_CHECK_MS = 30_000;
const PRUNE_TARGET = 0.9;
const PRUNE_BATCH = 200;
// The hard size limit sits above the retention budget, so pruning normally gets there first.
const HARD_LIMIT_FACTOR = 1.25;
const MAX_CACHED_STATEMENTS = 64;
// Damaged rows are remembered so each is counted once, however often queries meet it.
const MAX_REMEMBERED_CORRUPT = 10_000;

// Rows per multi-row INSERT at most: one statement binds many rows, which costs far less than a call per row.
const MAX_ROWS_PER_INSERT = 32;
const MAX_CACHED_ORIGINS = 1024;
// Unused origin rows are looked for once there are more than this many (and then only after their count doubles).
const ORIGIN_PRUNE_THRESHOLD = 256;

const SPAN_COLUMNS = (
  "tid span_id parent_span_id name span_type status start_ns end_ns update_id received_at origin " +
  "session_id customer_id customer_user_id input_tokens output_tokens cost_usd link_trace_id body"
).split(" ");
// A stored copy is replaced only by one with an update id at least as high.
const SPAN_UPSERT =
  ` ON CONFLICT (tid, span_id) DO UPDATE SET ${SPAN_COLUMNS.slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}` + " WHERE excluded.update_id >= spans.update_id";

/** The columns a span is read back from (see {@link readSpanRow}). */
const SPAN_READ =
  "s.id, s.span_id, s.parent_span_id, s.name, s.span_type, s.status, CAST(s.start_ns AS TEXT) AS start_text, " +
  "CAST(s.end_ns AS TEXT) AS end_text, s.update_id, s.received_at, s.origin, s.body, t.trace_id, t.offline";

// Every column of a rollup row after its key (trace id, side), in the order of the INSERT and UPDATE below.
const ROLLUP_COLUMNS = [
  "project_id",
  "root_name",
  "root_span_id",
  "root_span_type",
  "start_ns",
  "end_ns",
  "span_count",
  "error_count",
  "open_count",
  "status",
  "session_id",
  "customer_id",
  "customer_user_id",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "input_preview",
  "output_preview",
  "run",
  "updated_at",
];

/** The columns of a new trace's rollup row, as {@link SqlStore} inserts them. */
const TRACE_INSERT_COLUMNS = ["tid", "trace_id", "offline", ...ROLLUP_COLUMNS];

const TRACE_COLUMNS =
  "t.trace_id, t.offline, t.project_id, t.root_name, t.root_span_id, t.root_span_type, CAST(t.start_ns AS TEXT) AS start_text, " +
  "CAST(t.end_ns AS TEXT) AS end_text, t.span_count, t.error_count, t.open_count, t.status, t.session_id, t.customer_id, " +
  "t.customer_user_id, t.input_tokens, t.output_tokens, t.cost_usd, t.input_preview, t.output_preview, t.run, t.updated_at";

function isFull(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  return e?.code === "SQLITE_FULL" || e?.errcode === 13 || /database or disk is full/i.test(String(e?.message));
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const str = (v: SqlValue | undefined): string | null => (typeof v === "string" ? v : null);
const int = (v: SqlValue | undefined): number => Number(v ?? 0);

/**
 * The span store on SQLite: spans as rows with the columns the queries filter
 * on (beside them, as JSON, only what no column holds), one rollup row per trace
 * kept current on every write, one origin row per project, resource and scope
 * shared by their spans, tags and projects. Every `put` is one transaction;
 * retention removes the oldest traces by age and by size.
 */
export class SqlStore implements TraceStore {
  private readonly statements = new Map<string, SqlStatement>();
  private readonly corruptIds = new Set<number>();
  /** Origin ids by project, resource and scope text; only ids of committed rows (cleared on rollback). */
  private readonly originIds = new Map<string, number>();
  /** Parsed origin rows by id (null: damaged). */
  private readonly originRows = new Map<number, Origin | null>();
  private originLimit = ORIGIN_PRUNE_THRESHOLD;
  private corruptRows = 0;
  private prunedTraces = 0;
  private bytesSinceCheck = 0;
  private lastCheck = Date.now();
  private readonly pageSize: number;

  constructor(
    private readonly db: SqlDatabase,
    readonly mode: StorageMode,
    private readonly retention: Retention,
  ) {
    // WAL, checkpointed every 10,000 pages (~40 MB) rather than 1,000: each checkpoint syncs the disk, and under ingest
    // a small interval turns into a sync every few requests.
    if (mode === "sqlite-file") db.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 10000");
    // A dev tool may lose the last transaction on power loss; it must not be slow.
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000; PRAGMA cache_size = -16000; PRAGMA temp_store = MEMORY");
    this.pageSize = int(db.prepare("PRAGMA page_size").get()?.["page_size"]) || 4096;
    migrate(db, { onCorrupt: () => (this.corruptRows += 1), write: (spans) => void this.writeSpans(spans) });
    if (retention.maxBytes > 0) {
      const pages = Math.ceil((retention.maxBytes * HARD_LIMIT_FACTOR) / this.pageSize);
      db.exec(`PRAGMA max_page_count = ${Math.max(pages, 64)}`);
    }
    this.prune();
  }

  put(spans: readonly StoredSpan[]): number {
    let stored: number;
    try {
      stored = this.transaction(() => this.writeSpans(spans));
    } catch (err) {
      if (!isFull(err)) throw err;
      // Make room by the retention rules, then try once more.
      this.prune(true);
      try {
        stored = this.transaction(() => this.writeSpans(spans));
      } catch (again) {
        if (isFull(again))
          throw new StoreFullError(`the trace database is full (${(again as Error).message}); nothing of this request was stored`);
        throw again;
      }
    }
    this.afterWrite(spans.length);
    return stored;
  }

  putGroup(requests: readonly (readonly StoredSpan[])[]): number[] {
    const counts = this.transaction(() => requests.map((spans) => this.writeSpans(spans)));
    this.afterWrite(requests.reduce((n, spans) => n + spans.length, 0));
    return counts;
  }

  addTags(traceId: string, tags: readonly string[]): string[] {
    this.transaction(() => {
      const insert = this.stmt(
        "INSERT OR IGNORE INTO tags (trace_id, seq, tag) VALUES (?, (SELECT coalesce(max(seq) + 1, 0) FROM tags WHERE trace_id = ?), ?)",
      );
      for (const tag of tags) insert.run(traceId, traceId, tag);
    });
    return this.tags(traceId);
  }

  tags(traceId: string): string[] {
    return this.stmt("SELECT tag FROM tags WHERE trace_id = ? ORDER BY seq")
      .all(traceId)
      .map((r) => String(r["tag"]));
  }

  spans(filter: SpanFilter): StoredSpan[] {
    const where = new Conditions();
    if (filter.traceId !== undefined) where.add("s.tid IN (SELECT tid FROM traces WHERE trace_id = ?)", filter.traceId);
    if (filter.offline !== undefined) where.add("t.offline = ?", filter.offline ? 1 : 0);
    if (filter.projectId !== undefined) where.add("s.origin IN (SELECT id FROM origins WHERE project_id = ?)", filter.projectId);
    return this.readSpans(
      this.stmt(`SELECT ${SPAN_READ} FROM spans s JOIN traces t ON t.tid = s.tid ${where.sql()} ORDER BY s.start_ns, s.id`).all(
        ...where.params,
      ),
    );
  }

  outline(traceId: string, offline: boolean | undefined, limit: number): SpanOutline[] {
    const side = offline === undefined ? "" : "AND offline = ?";
    const params: SqlValue[] = offline === undefined ? [traceId, limit] : [traceId, offline ? 1 : 0, limit];
    return this.stmt(
      `SELECT s.span_id, s.parent_span_id, s.name, s.span_type, s.status, CAST(s.start_ns AS TEXT) AS start_text,
         CAST(s.end_ns AS TEXT) AS end_text, t.offline, s.input_tokens, s.output_tokens, s.cost_usd
       FROM spans s JOIN traces t ON t.tid = s.tid
       WHERE s.tid IN (SELECT tid FROM traces WHERE trace_id = ? ${side}) ORDER BY s.start_ns, s.id LIMIT ?`,
    )
      .all(...params)
      .map((r) => ({
        spanId: String(r["span_id"]),
        parentSpanId: str(r["parent_span_id"]),
        name: String(r["name"]),
        spanType: String(r["span_type"]),
        status: String(r["status"]) as StatusCodeName,
        startTimeUnixNano: String(r["start_text"]),
        endTimeUnixNano: String(r["end_text"]),
        offline: int(r["offline"]) === 1,
        inputTokens: int(r["input_tokens"]),
        outputTokens: int(r["output_tokens"]),
        costUsd: r["cost_usd"] === null || r["cost_usd"] === undefined ? null : Number(r["cost_usd"]),
      }));
  }

  traces(query: TraceQuery, limit: number, after: TraceCursor | undefined): TraceSummary[] {
    const where = new Conditions();
    const add = (cond: string, ...values: SqlValue[]): void => where.add(cond, ...values);
    if (query.traceId !== undefined) add("t.trace_id = ?", query.traceId);
    if (query.offline !== undefined) add("t.offline = ?", query.offline ? 1 : 0);
    if (query.projectId !== undefined) add("t.project_id = ?", query.projectId);
    if (query.name !== undefined) add("t.root_name LIKE ? ESCAPE '\\'", likePattern(query.name));
    if (query.kind !== undefined) add("t.root_span_type = ?", query.kind);
    if (query.status === "error") add("t.status = 'error'");
    if (query.status === "ok") add("t.status <> 'error' AND t.open_count = 0");
    if (query.status === "in_progress") add("t.open_count > 0");
    if (query.sessionId !== undefined) add("t.session_id = ?", query.sessionId);
    if (query.hasSession) add("t.session_id IS NOT NULL");
    if (query.customerId !== undefined) add("(t.customer_id = ? OR t.customer_user_id = ?)", query.customerId, query.customerId);
    if (query.tag !== undefined) add("EXISTS (SELECT 1 FROM tags g WHERE g.trace_id = t.trace_id AND g.tag = ?)", query.tag);
    if (query.from !== undefined) add("t.start_ns >= ?", nsColumn(BigInt(Math.floor(query.from)) * 1_000_000n));
    if (query.to !== undefined) add("t.start_ns < ?", nsColumn(BigInt(Math.floor(query.to)) * 1_000_000n));
    if (query.text !== undefined) {
      // Span bodies are JSON: look for the text as JSON would write it there; names are plain columns.
      const plain = likePattern(query.text);
      add(
        "(t.root_name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM spans s WHERE s.tid = t.tid AND (s.body LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\')))",
        plain,
        likePattern(JSON.stringify(query.text).slice(1, -1)),
        plain,
      );
    }
    if (after)
      add("(t.start_ns, t.trace_id, t.offline) < (?, ?, ?)", nsColumn(after.startTimeUnixNano), after.traceId, after.offline ? 1 : 0);
    const sql = `SELECT ${TRACE_COLUMNS} FROM traces t ${where.sql()} ORDER BY t.start_ns DESC, t.trace_id DESC, t.offline DESC LIMIT ?`;
    const rows = this.stmt(sql).all(...where.params, limit);
    const tags = this.tagsOf(rows.map((row) => String(row["trace_id"])));
    return rows.map((row) => this.summary(row, tags.get(String(row["trace_id"])) ?? []));
  }

  linkSpans(traceId: string): StoredSpan[] {
    const rows = this.stmt(
      `SELECT ${SPAN_READ} FROM spans s JOIN traces t ON t.tid = s.tid WHERE s.id IN
         (SELECT id FROM spans WHERE link_trace_id = ?
          UNION SELECT id FROM spans WHERE tid IN (SELECT tid FROM traces WHERE trace_id = ?) AND link_trace_id IS NOT NULL)`,
    ).all(traceId, traceId);
    return this.readSpans(rows);
  }

  hasTrace(traceId: string): boolean {
    return this.stmt("SELECT 1 AS x FROM traces WHERE trace_id = ? LIMIT 1").get(traceId) !== undefined;
  }

  projects(): ProjectRecord[] {
    return this.stmt("SELECT name, id FROM projects")
      .all()
      .map((r) => ({ name: String(r["name"]), id: String(r["id"]) }));
  }

  addProject(project: ProjectRecord): void {
    this.stmt("INSERT OR IGNORE INTO projects (name, id) VALUES (?, ?)").run(project.name, project.id);
  }

  stats(): StoreStats {
    return { corruptRows: this.corruptRows, prunedTraces: this.prunedTraces };
  }

  /** Bytes of the database in use (free pages not counted). */
  usedBytes(): number {
    const pages = int(this.db.prepare("PRAGMA page_count").get()?.["page_count"]);
    const free = int(this.db.prepare("PRAGMA freelist_count").get()?.["freelist_count"]);
    return (pages - free) * this.pageSize;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private stmt(sql: string): SqlStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private transaction<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (err) {
      rollback(this.db);
      // Origins added by the failed transaction are gone with it.
      this.originIds.clear();
      this.originRows.clear();
      throw err;
    }
  }

  /**
   * Upserts spans and keeps the rollups of their traces current; the caller
   * holds a transaction. New traces (the common case: a request carries whole
   * traces or their first spans) get their rollup computed here from the request
   * and their spans written in multi-row statements; spans of traces already
   * stored are written per trace, whose rollup is then recomputed from its rows.
   * Returns how many spans replaced or added a copy.
   */
  private writeSpans(spans: readonly StoredSpan[]): number {
    const groups = byTrace(spans);
    const known = this.knownTraces(groups);
    let nextTid = int(this.stmt("SELECT max(tid) AS m FROM traces").get()?.["m"]) + 1;
    const rollups: SqlValue[] = [];
    const rows: SqlValue[] = [];
    const recompute: number[] = [];
    let changed = 0;
    const origin = this.originOf();
    for (const group of groups) {
      const facts = group.map(spanFacts);
      const tid = known.get(traceKey(group[0]));
      if (tid === undefined) {
        const id = nextTid++;
        rollups.push(...this.rollupValues(id, group, facts));
        this.spanValues(rows, id, group, facts, origin);
        // The request repeats a span id: the rollup computed from it counted the copies apart.
        if (!distinctIds(group)) recompute.push(id);
      } else {
        const values: SqlValue[] = [];
        this.spanValues(values, tid, group, facts, origin);
        const n = this.insertRows("spans", SPAN_COLUMNS, SPAN_UPSERT, values);
        changed += n;
        if (n > 0) recompute.push(tid);
      }
    }
    this.insertRows("traces", TRACE_INSERT_COLUMNS, "", rollups);
    changed += this.insertRows("spans", SPAN_COLUMNS, SPAN_UPSERT, rows);
    for (const tid of recompute) this.rollUp(tid);
    return changed;
  }

  /** The trace numbers of the groups' traces that are already stored, by {@link traceKey}: one query per side. */
  private knownTraces(groups: readonly StoredSpan[][]): Map<string, number> {
    const known = new Map<string, number>();
    for (const side of [0, 1]) {
      const ids = groups.filter((g) => (g[0].offline ? 1 : 0) === side).map((g) => g[0].traceId);
      if (ids.length === 0) continue;
      const rows = this.stmt("SELECT tid, trace_id FROM traces WHERE offline = ? AND trace_id IN (SELECT value FROM json_each(?))").all(
        side,
        JSON.stringify(ids),
      );
      for (const row of rows) known.set(`${side}${String(row["trace_id"])}`, int(row["tid"]));
    }
    return known;
  }

  /** A lookup of each span's origin row (project, resource, scope), adding rows as needed; spans of one scope share theirs. */
  private originOf(): (span: StoredSpan) => number {
    let last: { projectId: string; resource: object; scope: object; id: number } | undefined;
    return (span) => {
      if (last && last.resource === span.resource && last.scope === span.scope && last.projectId === span.projectId) return last.id;
      const resource = JSON.stringify(span.resource);
      const scope = JSON.stringify(span.scope);
      // JSON text holds no raw newline: the joined key is unambiguous.
      const key = `${span.projectId}\n${resource}\n${scope}`;
      let id = this.originIds.get(key);
      if (id === undefined) {
        id = int(
          this.stmt(
            `INSERT INTO origins (project_id, resource, scope, run) VALUES (?, ?, ?, ?)
             ON CONFLICT (project_id, resource, scope) DO UPDATE SET run = excluded.run RETURNING id`,
          ).get(span.projectId, resource, scope, runOf(span))?.["id"],
        );
        if (this.originIds.size >= MAX_CACHED_ORIGINS) this.originIds.clear();
        this.originIds.set(key, id);
      }
      last = { projectId: span.projectId, resource: span.resource, scope: span.scope, id };
      return id;
    };
  }

  /** Appends the column values of `group`'s span rows (in {@link SPAN_COLUMNS} order) to `out`. */
  private spanValues(
    out: SqlValue[],
    tid: number,
    group: readonly StoredSpan[],
    facts: readonly SpanFacts[],
    origin: (span: StoredSpan) => number,
  ): void {
    for (let i = 0; i < group.length; i++) {
      const span = group[i];
      const f = facts[i];
      const start = nsColumn(span.startTimeUnixNano);
      const end = nsColumn(span.endTimeUnixNano);
      const body = spanBody(span, start === MAX_INTEGER, end === MAX_INTEGER);
      this.bytesSinceCheck += body.length;
      out.push(
        tid,
        span.spanId,
        span.parentSpanId,
        span.name,
        span.spanType,
        span.status.code,
        start,
        end,
        span.updateId,
        span.receivedAt,
        origin(span),
        f.sessionId,
        f.customerId,
        f.customerUserId,
        f.inputTokens,
        f.outputTokens,
        f.costUsd,
        f.linkTraceId,
        body,
      );
    }
  }

  /**
   * Inserts the rows whose values lie one after another in `values`, in
   * multi-row statements of at most {@link MAX_ROWS_PER_INSERT} rows (sizes are
   * powers of two, so few statements are ever prepared). Returns the rows changed.
   */
  private insertRows(table: string, columns: readonly string[], tail: string, values: readonly SqlValue[]): number {
    const width = columns.length;
    let changed = 0;
    for (let offset = 0; offset < values.length;) {
      const left = (values.length - offset) / width;
      let n = MAX_ROWS_PER_INSERT;
      while (n > left) n >>= 1;
      const row = `(${columns.map(() => "?").join(", ")})`;
      const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: n }, () => row).join(", ")}${tail}`;
      changed += this.stmt(sql).run(...values.slice(offset, offset + n * width));
      offset += n * width;
    }
    return changed;
  }

  /** The rollup row of new trace `tid` whose spans are `group` (the SQL of {@link rollUp}, done in JavaScript), in {@link TRACE_INSERT_COLUMNS} order. */
  private rollupValues(tid: number, group: readonly StoredSpan[], facts: readonly SpanFacts[]): SqlValue[] {
    const ids = new Set<string>();
    for (const span of group) ids.add(span.spanId);
    let root = -1;
    let orphan = -1;
    let first = 0;
    let start = group[0].startTimeUnixNano;
    let end = "0";
    let errors = 0;
    let open = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    let cost: number | null = null;
    let updatedAt = 0;
    let sessionId: string | null = null;
    let customerId: string | null = null;
    let customerUserId: string | null = null;
    let run: string | null = null;
    const runs = group.map(runOf);
    // Earliest start wins, ties to the earlier arrival — the SQL `ORDER BY start_ns, id`.
    const earlier = (i: number, j: number): boolean => j < 0 || compareNanos(group[i].startTimeUnixNano, group[j].startTimeUnixNano) < 0;
    group.forEach((span, i) => {
      const f = facts[i];
      if (span.parentSpanId === null) {
        if (earlier(i, root)) root = i;
      } else if (!ids.has(span.parentSpanId) && earlier(i, orphan)) orphan = i;
      if (earlier(i, first)) first = i;
      if (compareNanos(span.startTimeUnixNano, start) < 0) start = span.startTimeUnixNano;
      if (compareNanos(span.endTimeUnixNano, end) > 0) end = span.endTimeUnixNano;
      if (span.status.code === "error") errors += 1;
      if (span.endTimeUnixNano === "0") open += 1;
      inputTokens += f.inputTokens;
      outputTokens += f.outputTokens;
      if (f.costUsd !== null) cost = (cost ?? 0) + f.costUsd;
      if (span.receivedAt > updatedAt) updatedAt = span.receivedAt;
      sessionId = maxText(sessionId, f.sessionId);
      customerId = maxText(customerId, f.customerId);
      customerUserId = maxText(customerUserId, f.customerUserId);
      run = maxText(run, runs[i]);
    });
    const r = root >= 0 ? root : orphan >= 0 ? orphan : first;
    const top = group[r];
    return [
      tid,
      top.traceId,
      top.offline ? 1 : 0,
      top.projectId,
      top.name,
      top.spanId,
      top.spanType,
      nsColumn(start),
      nsColumn(end),
      group.length,
      errors,
      open,
      errors > 0 ? "error" : top.status.code,
      facts[r].sessionId ?? sessionId,
      facts[r].customerId ?? customerId,
      facts[r].customerUserId ?? customerUserId,
      inputTokens,
      outputTokens,
      cost,
      preview(top, Keys.input),
      preview(top, Keys.output),
      runs[r] ?? run,
      updatedAt,
    ];
  }

  /** Recomputes the rollup row of trace `tid` from its stored spans. */
  private rollUp(tid: number): void {
    const agg = this.stmt(
      `SELECT count(*) AS n, sum(status = 'error') AS errors, sum(end_ns = 0) AS open, CAST(min(start_ns) AS TEXT) AS start_ns,
         CAST(max(end_ns) AS TEXT) AS end_ns, sum(input_tokens) AS it, sum(output_tokens) AS ot, sum(cost_usd) AS cost, max(received_at) AS upd,
         max(session_id) AS sid, max(customer_id) AS cid, max(customer_user_id) AS cuid, max(o.run) AS run
       FROM spans s JOIN origins o ON o.id = s.origin WHERE tid = ?`,
    ).get(tid)!;
    // The root: the span without a parent, else one whose parent is not stored, else the earliest.
    const columns = `s.span_id, s.name, s.span_type, s.status, o.project_id, s.session_id, s.customer_id, s.customer_user_id, o.run,
         substr(json_extract(s.body, '$.attributes."${Keys.input}"'), 1, ${PREVIEW_CHARS}) AS input,
         substr(json_extract(s.body, '$.attributes."${Keys.output}"'), 1, ${PREVIEW_CHARS}) AS output`;
    const from = "FROM spans s JOIN origins o ON o.id = s.origin WHERE s.tid = ?";
    const root =
      this.stmt(`SELECT ${columns} ${from} AND s.parent_span_id IS NULL ORDER BY s.start_ns, s.id LIMIT 1`).get(tid) ??
      this.stmt(
        `SELECT ${columns} ${from} AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.tid = s.tid AND p.span_id = s.parent_span_id)
         ORDER BY s.start_ns, s.id LIMIT 1`,
      ).get(tid) ??
      this.stmt(`SELECT ${columns} ${from} ORDER BY s.start_ns, s.id LIMIT 1`).get(tid)!;
    const errors = int(agg["errors"]);
    this.stmt(`UPDATE traces SET ${ROLLUP_COLUMNS.map((c) => `${c} = ?`).join(", ")} WHERE tid = ?`).run(
      root["project_id"],
      root["name"],
      root["span_id"],
      root["span_type"],
      BigInt(String(agg["start_ns"])),
      BigInt(String(agg["end_ns"])),
      agg["n"],
      errors,
      int(agg["open"]),
      errors > 0 ? "error" : root["status"]!,
      root["session_id"] ?? agg["sid"] ?? null,
      root["customer_id"] ?? agg["cid"] ?? null,
      root["customer_user_id"] ?? agg["cuid"] ?? null,
      int(agg["it"]),
      int(agg["ot"]),
      agg["cost"] ?? null,
      previewText(root["input"]),
      previewText(root["output"]),
      root["run"] ?? agg["run"] ?? null,
      int(agg["upd"]),
      tid,
    );
  }

  /** The tags of many traces in one query (a page of the list, the sessions window). */
  private tagsOf(traceIds: string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (traceIds.length === 0) return out;
    const rows = this.stmt("SELECT trace_id, tag FROM tags WHERE trace_id IN (SELECT value FROM json_each(?)) ORDER BY trace_id, seq").all(
      JSON.stringify(traceIds),
    );
    for (const row of rows) {
      const id = String(row["trace_id"]);
      const list = out.get(id);
      if (list) list.push(String(row["tag"]));
      else out.set(id, [String(row["tag"])]);
    }
    return out;
  }

  private summary(row: SqlRow, tags: string[]): TraceSummary {
    const traceId = String(row["trace_id"]);
    const start = String(row["start_text"]);
    const open = int(row["open_count"]);
    return {
      traceId,
      projectId: String(row["project_id"]),
      offline: int(row["offline"]) === 1,
      rootName: String(row["root_name"]),
      rootSpanId: String(row["root_span_id"]),
      rootSpanType: String(row["root_span_type"]),
      startTimeUnixNano: start,
      durationMs: spanMs(start, String(row["end_text"])),
      spanCount: int(row["span_count"]),
      status: String(row["status"]) as StatusCodeName,
      errorCount: int(row["error_count"]),
      inProgress: open > 0,
      sessionId: str(row["session_id"]),
      customerId: str(row["customer_id"]),
      customerUserId: str(row["customer_user_id"]),
      tags,
      updatedAt: int(row["updated_at"]),
      inputTokens: int(row["input_tokens"]),
      outputTokens: int(row["output_tokens"]),
      costUsd: row["cost_usd"] === null || row["cost_usd"] === undefined ? null : Number(row["cost_usd"]),
      inputPreview: str(row["input_preview"]),
      outputPreview: str(row["output_preview"]),
      run: str(row["run"]),
    };
  }

  /** Spans from rows of {@link SPAN_READ}; damaged rows (body or origin) are skipped and counted. */
  private readSpans(rows: SqlRow[]): StoredSpan[] {
    const out: StoredSpan[] = [];
    for (const row of rows) {
      const origin = this.origin(int(row["origin"]));
      const span =
        origin &&
        readSpanRow(
          {
            traceId: String(row["trace_id"]),
            offline: int(row["offline"]) === 1,
            spanId: String(row["span_id"]),
            parentSpanId: str(row["parent_span_id"]),
            name: String(row["name"]),
            spanType: String(row["span_type"]),
            status: String(row["status"]),
            start: String(row["start_text"]),
            end: String(row["end_text"]),
            updateId: int(row["update_id"]),
            receivedAt: int(row["received_at"]),
            body: row["body"],
          },
          origin,
        );
      if (span) out.push(span);
      else this.noteCorrupt(int(row["id"]));
    }
    return out;
  }

  /** The origin row `id`, parsed once and kept (bounded); undefined when missing or damaged. */
  private origin(id: number): Origin | undefined {
    let origin = this.originRows.get(id);
    if (origin === undefined) {
      const row = this.stmt("SELECT project_id, resource, scope FROM origins WHERE id = ?").get(id);
      origin = (row && parseOrigin(row["project_id"], row["resource"], row["scope"])) ?? null;
      if (this.originRows.size >= MAX_CACHED_ORIGINS) this.originRows.clear();
      this.originRows.set(id, origin);
    }
    return origin ?? undefined;
  }

  private noteCorrupt(id: number): void {
    if (this.corruptIds.has(id)) return;
    if (this.corruptIds.size < MAX_REMEMBERED_CORRUPT) this.corruptIds.add(id);
    this.corruptRows += 1;
  }

  private afterWrite(count: number): void {
    if (count === 0) return;
    const due = this.bytesSinceCheck > this.retention.maxBytes * PRUNE_CHECK_FRACTION || Date.now() - this.lastCheck > PRUNE_CHECK_MS;
    if (due) this.prune();
  }

  /** Removes traces past the age limit, then the oldest until under the size budget (`force`: to make room now). */
  private prune(force = false): void {
    this.bytesSinceCheck = 0;
    this.lastCheck = Date.now();
    // Age counts from when the trace last received a span: replayed or back-dated spans are not dropped on arrival.
    const victims = this.stmt("SELECT tid, trace_id FROM traces WHERE updated_at < ? ORDER BY updated_at LIMIT ?");
    if (this.retention.maxAgeMs > 0) {
      const cutoff = Date.now() - this.retention.maxAgeMs;
      while (this.remove(victims.all(cutoff, PRUNE_BATCH)) === PRUNE_BATCH);
    }
    this.pruneOrigins();
    if (this.retention.maxBytes <= 0) return;
    const target = this.retention.maxBytes * (force ? PRUNE_TARGET * PRUNE_TARGET : PRUNE_TARGET);
    if (!force && this.usedBytes() <= this.retention.maxBytes) return;
    const oldest = this.stmt("SELECT tid, trace_id FROM traces ORDER BY start_ns LIMIT ?");
    while (this.usedBytes() > target) {
      if (this.remove(oldest.all(PRUNE_BATCH)) === 0) break;
    }
  }

  /**
   * Drops origin rows no span uses any more, once there are many: one is added per distinct project, resource and
   * scope, so only senders that change their resource all the time make them pile up. The scan runs again only
   * after the count has doubled.
   */
  private pruneOrigins(): void {
    const count = int(this.stmt("SELECT count(*) AS n FROM origins").get()?.["n"]);
    if (count <= this.originLimit) return;
    this.transaction(() => this.stmt("DELETE FROM origins WHERE id NOT IN (SELECT DISTINCT origin FROM spans)").run());
    this.originIds.clear();
    this.originRows.clear();
    this.originLimit = Math.max(ORIGIN_PRUNE_THRESHOLD, 2 * int(this.stmt("SELECT count(*) AS n FROM origins").get()?.["n"]));
  }

  private remove(rows: SqlRow[]): number {
    if (rows.length === 0) return 0;
    this.transaction(() => {
      for (const row of rows) {
        const traceId = String(row["trace_id"]);
        this.stmt("DELETE FROM spans WHERE tid = ?").run(row["tid"]);
        this.stmt("DELETE FROM traces WHERE tid = ?").run(row["tid"]);
        this.stmt("DELETE FROM tags WHERE trace_id = ? AND NOT EXISTS (SELECT 1 FROM traces WHERE trace_id = ?)").run(traceId, traceId);
      }
    });
    this.prunedTraces += rows.length;
    return rows.length;
  }
}

/** A WHERE clause built from conditions and their parameters. */
class Conditions {
  private readonly parts: string[] = [];
  readonly params: SqlValue[] = [];

  add(condition: string, ...values: SqlValue[]): void {
    this.parts.push(condition);
    this.params.push(...values);
  }

  sql(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(" AND ")}` : "";
  }
}

const MAX_INTEGER = 2n ** 63n - 1n;

/**
 * A nanosecond time as a column value: SQLite integers are signed 64-bit, so a
 * time past 2262 is clamped in the column (the span keeps its exact text).
 */
function nsColumn(ns: string | bigint): bigint {
  const value = BigInt(ns);
  return value > MAX_INTEGER ? MAX_INTEGER : value < -MAX_INTEGER ? -MAX_INTEGER : value;
}

/** The key of a span's trace and side, as {@link SqlStore} looks traces up. */
function traceKey(span: StoredSpan): string {
  return `${span.offline ? 1 : 0}${span.traceId}`;
}

/** The spans of a request grouped by trace (and side), each group in arrival order. */
function byTrace(spans: readonly StoredSpan[]): StoredSpan[][] {
  const groups = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const key = traceKey(span);
    const group = groups.get(key);
    if (group) group.push(span);
    else groups.set(key, [span]);
  }
  return [...groups.values()];
}

function distinctIds(group: readonly StoredSpan[]): boolean {
  if (group.length === 1) return true;
  return new Set(group.map((s) => s.spanId)).size === group.length;
}

/** SQLite's `max()` over text: nulls ignored. */
function maxText(a: string | null, b: string | null): string | null {
  return a === null || (b !== null && b > a) ? b : a;
}

function previewText(value: SqlValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : String(value);
}
