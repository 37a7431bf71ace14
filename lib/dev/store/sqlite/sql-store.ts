import type { ProjectRecord } from "../projects.js";
import { readSpanRow } from "../span-row.js";
import {
  cursorOf,
  LIST_WINDOW,
  StoreDamagedError,
  StoreFullError,
  type ExperimentTrace,
  type ListWindow,
  type SearchCandidate,
  type IntegrityState,
  type SpanCursor,
  type SessionTrace,
  type StoreStats,
  type TraceCursor,
  type TraceStore,
} from "../trace-store.js";
import type { SpanFilter, SpanOutline, TraceQuery, TraceSummary } from "../query-types.js";
import type { StatusCodeName, StoredSpan } from "../span-types.js";
import type { StorageMode } from "../trace-store.js";
import { int, nsColumn, str } from "./columns.js";
import { isDamage, readPastDamage } from "./damage.js";
import type { IntegrityCheck } from "./integrity-check.js";
import { rollback, type SqlDatabase, type SqlRow, type SqlValue } from "./driver.js";
import { Origins } from "./origins.js";
import { HARD_LIMIT_FACTOR, Pruner, type Retention } from "./retention.js";
import { migrate } from "./schema.js";
import { SpanWriter } from "./span-writer.js";
import { StatementCache } from "./statements.js";
import {
  Conditions,
  EXPERIMENT_COLUMNS,
  experimentTrace,
  SESSION_COLUMNS,
  sessionTrace,
  needsWindows,
  CANDIDATE_COLUMNS,
  searchCandidate,
  SUMMARY_COLUMNS,
  textPatterns,
  traceListQuery,
  traceSummary,
  windowFloorQuery,
} from "./trace-query.js";

// Damaged rows are remembered so each is counted once, however often queries meet it.
const MAX_REMEMBERED_CORRUPT = 10_000;

/** The columns a span is read back from (see {@link readSpanRow}), by the name each is read as. */
const SPAN_FIELDS: [string, string][] = [
  ["id", "s.id"],
  ["span_id", "s.span_id"],
  ["parent_span_id", "s.parent_span_id"],
  ["name", "s.name"],
  ["span_type", "s.span_type"],
  ["status", "s.status"],
  ["start_text", "CAST(s.start_ns AS TEXT)"],
  ["end_text", "CAST(s.end_ns AS TEXT)"],
  ["update_id", "s.update_id"],
  ["received_at", "s.received_at"],
  ["origin", "s.origin"],
  ["body", "s.body"],
  ["trace_id", "t.trace_id"],
  ["offline", "t.offline"],
];
const SPAN_READ = SPAN_FIELDS.map(([name, expr]) => `${expr} AS ${name}`).join(", ");

function isFull(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  return e?.code === "SQLITE_FULL" || e?.errcode === 13 || /database or disk is full/i.test(String(e?.message));
}

/**
 * The span store on SQLite: spans as rows with the columns the queries filter
 * on (beside them, as JSON, only what no column holds), one rollup row per trace
 * kept current on every write (see {@link SpanWriter}), one origin row per
 * project, resource and scope shared by their spans, tags and projects. Every
 * `put` is one transaction; the {@link Pruner} removes the oldest traces by age
 * and by size. Reads are here, the trace list's SQL in `trace-query.ts`.
 */
export class SqlStore implements TraceStore {
  private readonly stmts: StatementCache;
  private readonly origins: Origins;
  private readonly pruner: Pruner;
  private readonly writer: SpanWriter;
  private readonly corruptIds = new Set<number>();
  private corruptRows = 0;
  private damagedReads = 0;
  private readonly reported = new Set<DamageKind>();
  private check: IntegrityCheck | undefined;

  /** @param onDamage told once for each kind of damage met (a damaged row, page or write), with what was met. */
  constructor(
    private readonly db: SqlDatabase,
    readonly mode: StorageMode,
    retention: Retention,
    private readonly onDamage: (kind: DamageKind, detail: string) => void = () => undefined,
  ) {
    // WAL, checkpointed every 10,000 pages (~40 MB) rather than 1,000: each checkpoint syncs the disk, and under ingest
    // a small interval turns into a sync every few requests.
    if (mode === "sqlite-file") db.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 10000");
    // A dev tool may lose the last transaction on power loss; it must not be slow.
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000; PRAGMA cache_size = -16000; PRAGMA temp_store = MEMORY");
    const pageSize = int(db.prepare("PRAGMA page_size").get()?.["page_size"]) || 4096;
    this.stmts = new StatementCache(db);
    this.origins = new Origins(this.stmts);
    this.pruner = new Pruner(pageSize, retention, this.stmts, this.origins, (fn) => this.transaction(fn));
    this.writer = new SpanWriter(this.stmts, this.origins, (bytes) => this.pruner.noteWritten(bytes));
    migrate(db, { onCorrupt: () => (this.corruptRows += 1), write: (spans) => void this.writer.write(spans) });
    if (retention.maxBytes > 0) {
      const pages = Math.ceil((retention.maxBytes * HARD_LIMIT_FACTOR) / pageSize);
      db.exec(`PRAGMA max_page_count = ${Math.max(pages, 64)}`);
    }
    this.guard(() => this.pruner.prune(), undefined);
  }

  put(spans: readonly StoredSpan[]): number {
    let stored: number;
    try {
      stored = this.transaction(() => this.writer.write(spans));
    } catch (err) {
      if (!isFull(err)) throw this.writeError(err);
      // Make room by the retention rules, then try once more.
      this.pruner.prune(true);
      try {
        stored = this.transaction(() => this.writer.write(spans));
      } catch (again) {
        if (isFull(again))
          throw new StoreFullError(`the trace database is full (${(again as Error).message}); nothing of this request was stored`);
        throw this.writeError(again);
      }
    }
    this.afterWrite(spans.length);
    return stored;
  }

  putGroup(requests: readonly (readonly StoredSpan[])[]): number[] {
    let counts: number[];
    try {
      counts = this.transaction(() => requests.map((spans) => this.writer.write(spans)));
    } catch (err) {
      throw this.writeError(err);
    }
    this.afterWrite(requests.reduce((n, spans) => n + spans.length, 0));
    return counts;
  }

  addTags(traceId: string, tags: readonly string[]): string[] {
    try {
      this.transaction(() => {
        const insert = this.stmts.get(
          "INSERT OR IGNORE INTO tags (trace_id, seq, tag) VALUES (?, (SELECT coalesce(max(seq) + 1, 0) FROM tags WHERE trace_id = ?), ?)",
        );
        for (const tag of tags) insert.run(traceId, traceId, tag);
      });
    } catch (err) {
      throw this.writeError(err);
    }
    return this.tags(traceId);
  }

  tags(traceId: string): string[] {
    return this.guard(
      () =>
        this.stmts
          .get("SELECT tag FROM tags WHERE trace_id = ? ORDER BY seq")
          .all(traceId)
          .map((r) => String(r["tag"])),
      [],
    );
  }

  spans(filter: SpanFilter): StoredSpan[] {
    const where = new Conditions();
    if (filter.traceId !== undefined) where.add("s.tid IN (SELECT tid FROM traces WHERE trace_id = ?)", filter.traceId);
    if (filter.spanId !== undefined) where.add("s.span_id = ?", filter.spanId);
    if (filter.offline !== undefined) where.add("t.offline = ?", filter.offline ? 1 : 0);
    if (filter.projectId !== undefined) where.add("s.origin IN (SELECT id FROM origins WHERE project_id = ?)", filter.projectId);
    return this.readSpans(
      `SELECT ${SPAN_READ} FROM spans s JOIN traces t ON t.tid = s.tid ${where.sql()} ORDER BY s.start_ns, s.id`,
      where.params,
    );
  }

  outline(
    traceId: string,
    offline: boolean | undefined,
    limit: number,
    after: SpanCursor | undefined,
  ): { spans: SpanOutline[]; next?: SpanCursor } {
    return this.tracePage(traceId, offline, limit, after, OUTLINE_READ, OUTLINE_FIELDS, (r) => ({
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

  spanPage(
    traceId: string,
    offline: boolean | undefined,
    limit: number,
    after: SpanCursor | undefined,
  ): { spans: StoredSpan[]; next?: SpanCursor } {
    return this.tracePage(traceId, offline, limit, after, SPAN_READ, SPAN_NAMES, (row) => this.spanFromRow(row));
  }

  traces(query: TraceQuery, limit: number, after: TraceCursor | undefined): TraceSummary[] {
    return this.withTags(this.listRows(SUMMARY_COLUMNS, query, limit, after).map(traceSummary));
  }

  countTraces(query: Pick<TraceQuery, "offline" | "projectId">): number {
    const where = new Conditions();
    if (query.projectId !== undefined) where.add("project_id = ?", query.projectId);
    if (query.offline !== undefined) where.add("offline = ?", query.offline ? 1 : 0);
    const sql = `SELECT coalesce(sum(n), 0) AS n FROM trace_counts ${where.sql()}`;
    return this.guard(() => int(this.stmts.get(sql).get(...where.params)?.["n"]), 0);
  }

  traceWindow(query: TraceQuery, limit: number, after: TraceCursor | undefined): ListWindow<TraceSummary> {
    return this.window(SUMMARY_COLUMNS, query, limit, after, needsWindows(query), traceSummary, (t) => t);
  }

  searchWindow(query: TraceQuery, limit: number, after: TraceCursor | undefined): ListWindow<SearchCandidate> {
    const { text: _text, ...rest } = query;
    return this.window(CANDIDATE_COLUMNS, rest, limit, after, true, searchCandidate, (c) => c);
  }

  summariesOf(tids: readonly number[]): TraceSummary[] {
    if (tids.length === 0) return [];
    const rows = this.guardedValues({
      sql: `SELECT ${SUMMARY_COLUMNS} FROM traces t WHERE t.tid IN (SELECT value FROM json_each(?))
        ORDER BY t.start_ns DESC, t.trace_id DESC, t.offline DESC`,
      params: [JSON.stringify(tids)],
    });
    return this.withTags(rows.map(traceSummary));
  }

  tracesWithText(tids: readonly number[], text: string): Set<number> {
    if (tids.length === 0) return new Set();
    const { body, plain } = textPatterns(text);
    const rows = this.rowsUntilDamage(
      `SELECT DISTINCT s.tid FROM spans s WHERE s.tid IN (SELECT value FROM json_each(?))
         AND (s.body LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\')`,
      [JSON.stringify(tids), body, plain],
      ["tid"],
    );
    return new Set(rows.map((r) => int(r["tid"])));
  }

  textInTrace(tid: number, text: string, after: SpanCursor | undefined, limit: number): { found: boolean; next?: SpanCursor } {
    const { body, plain } = textPatterns(text);
    const rows = this.rowsUntilDamage(
      `SELECT (s.body LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\'), CAST(s.start_ns AS TEXT), s.id, t.offline
         FROM spans s INDEXED BY spans_time JOIN traces t ON t.tid = s.tid
         WHERE s.tid = ? ${after ? "AND (s.start_ns, s.id) > (?, ?)" : ""} ORDER BY s.start_ns, s.id LIMIT ?`,
      after ? [body, plain, tid, nsColumn(after.startNs), after.row, limit] : [body, plain, tid, limit],
      ["found", "start_text", "id", "offline"],
    );
    const last = rows[rows.length - 1];
    return {
      found: rows.some((r) => int(r["found"]) === 1),
      next:
        rows.length < limit
          ? undefined
          : { offline: int(last["offline"]) === 1, startNs: String(last["start_text"]), row: int(last["id"]) },
    };
  }

  withTags(summaries: TraceSummary[]): TraceSummary[] {
    const tags = this.tagsOf(summaries.map((s) => s.traceId));
    for (const s of summaries) s.tags = tags.get(s.traceId) ?? s.tags;
    return summaries;
  }

  sessionTraces(query: TraceQuery, limit: number, after?: TraceCursor): ListWindow<SessionTrace> {
    // The index of traces with a session serves the newest of them alone; any other condition may visit every one.
    const q: TraceQuery = { ...query, hasSession: true };
    return this.window(SESSION_COLUMNS, q, limit, after, windowedBesides(q, ["hasSession", "from", "to"]), sessionTrace, (t) => t);
  }

  experimentTraces(query: TraceQuery, limit: number, after?: TraceCursor): ListWindow<ExperimentTrace> {
    const q: TraceQuery = { ...query, offline: true };
    return this.window(EXPERIMENT_COLUMNS, q, limit, after, windowedBesides(q, ["offline", "from", "to"]), experimentTrace, (t) => ({
      ...t,
      offline: true,
    }));
  }

  linkSpans(traceId: string): StoredSpan[] {
    return this.readSpans(
      `SELECT ${SPAN_READ} FROM spans s JOIN traces t ON t.tid = s.tid WHERE s.id IN
         (SELECT id FROM spans WHERE link_trace_id = ?
          UNION SELECT id FROM spans INDEXED BY spans_linked WHERE tid IN (SELECT tid FROM traces WHERE trace_id = ?) AND link_trace_id IS NOT NULL)`,
      [traceId, traceId],
    );
  }

  hasTrace(traceId: string): boolean {
    return this.guard(() => this.stmts.get("SELECT 1 AS x FROM traces WHERE trace_id = ? LIMIT 1").get(traceId) !== undefined, false);
  }

  projects(): ProjectRecord[] {
    return this.guard(
      () =>
        this.stmts
          .get("SELECT name, id FROM projects")
          .all()
          .map((r) => ({ name: String(r["name"]), id: String(r["id"]) })),
      [],
    );
  }

  addProject(project: ProjectRecord): void {
    // The registry keeps the project in memory either way; a damaged table only loses it across a restart.
    this.guard(
      () => void this.stmts.get("INSERT OR IGNORE INTO projects (name, id) VALUES (?, ?)").run(project.name, project.id),
      undefined,
    );
  }

  /** Keeps `check` as the store's integrity check (stopped on close). */
  watch(check: IntegrityCheck): void {
    this.check = check;
  }

  integrity(): IntegrityState {
    return this.check?.current ?? { state: "unchecked" };
  }

  stats(): StoreStats {
    return { corruptRows: this.corruptRows, damagedReads: this.damagedReads, prunedTraces: this.pruner.pruned };
  }

  close(): void {
    this.check?.stop();
    this.stmts.clear();
    this.db.close();
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
      this.origins.forget();
      throw err;
    }
  }

  /**
   * At most `limit` rows of `columns` of the traces matching `query` after `after`, in list order, made by `make`; with
   * `windowed`, read from the next {@link LIST_WINDOW} traces of the list only (one range of the start-time index), so
   * the step is bounded whatever `query` asks. `keyOf` gives a made row's position.
   */
  private window<R>(
    columns: string,
    query: TraceQuery,
    limit: number,
    after: TraceCursor | undefined,
    windowed: boolean,
    make: (row: SqlValue[]) => R,
    keyOf: (row: R) => Pick<TraceSummary, "startTimeUnixNano" | "traceId" | "offline">,
  ): ListWindow<R> {
    let floor: TraceCursor | undefined;
    if (windowed) {
      const { sql, params } = windowFloorQuery(query, after, LIST_WINDOW);
      const v = this.guard(() => this.stmts.get(sql).values(...params)[0], undefined);
      floor = v && { startTimeUnixNano: String(v[0]), traceId: String(v[1]), offline: int(v[2]) === 1 };
    }
    const rows = (
      windowed ? this.guardedValues(traceListQuery(columns, query, limit, after, floor)) : this.listRows(columns, query, limit, after)
    ).map(make);
    const end = rows.length === limit ? cursorOf(keyOf(rows[rows.length - 1])) : (floor ?? null);
    return { rows, end };
  }

  /** The rows of a query as arrays, up to the first damaged page. */
  private guardedValues({ sql, params }: { sql: string; params: SqlValue[] }): SqlValue[][] {
    const rows: SqlValue[][] = [];
    this.guard(() => this.stmts.get(sql).eachValues(params, (v) => rows.push(v)), undefined);
    return rows;
  }

  /**
   * A page of the trace list as arrays of `columns` (which start with the core columns: the start time second). On a
   * damaged page the list goes on past it, in start time order (see {@link readPastDamage}).
   */
  private listRows(columns: string, query: TraceQuery, limit: number, after: TraceCursor | undefined): SqlValue[][] {
    const page = (before: TraceCursor | undefined, n: number): { sql: string; params: SqlValue[] } =>
      traceListQuery(columns, query, n, before);
    try {
      const { sql, params } = page(after, limit);
      return this.stmts.get(sql).values(...params);
    } catch (err) {
      if (!isDamage(err)) throw err;
    }
    return readPastDamage<SqlValue[]>(
      {
        direction: -1,
        read: (bound, n, each) => {
          // A cursor before the trace id "000…0" at a start time is the start time itself.
          const before = bound === undefined ? after : { startTimeUnixNano: String(bound), traceId: "0".repeat(32), offline: false };
          const { sql, params } = page(before, n);
          this.stmts.get(sql).eachValues(params, each);
        },
        keyOf: (row) => BigInt(String(row[1])),
      },
      limit,
      () => this.noteDamage("page", "a page of the trace list could not be read and was skipped"),
    );
  }

  /** The tags of many traces in one query (a page of the list, the sessions window). */
  private tagsOf(traceIds: string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (traceIds.length === 0) return out;
    const rows = this.rowsUntilDamage(
      "SELECT trace_id, tag FROM tags WHERE trace_id IN (SELECT value FROM json_each(?)) ORDER BY trace_id, seq",
      [JSON.stringify(traceIds)],
      ["trace_id", "tag"],
    );
    for (const row of rows) {
      const id = String(row["trace_id"]);
      const list = out.get(id);
      if (list) list.push(String(row["tag"]));
      else out.set(id, [String(row["tag"])]);
    }
    return out;
  }

  /**
   * A page of a trace's span rows (`columns`, named `names`, which hold `start_text` and `id`), at most `limit`, after
   * `after`: the live side in start order, then the offline side. Each side is one range of `spans_time`, read in
   * index order (never sorted), so a page costs its own rows whatever the trace's size. Rows `make` rejects (damaged)
   * take their place in the page but are left out of it.
   */
  private tracePage<R>(
    traceId: string,
    offline: boolean | undefined,
    limit: number,
    after: SpanCursor | undefined,
    columns: string,
    names: readonly string[],
    make: (row: SqlRow) => R | undefined,
  ): { spans: R[]; next?: SpanCursor } {
    const sides = this.rowsUntilDamage(
      `SELECT tid, offline FROM traces WHERE trace_id = ? ${offline === undefined ? "" : "AND offline = ?"} ORDER BY offline`,
      offline === undefined ? [traceId] : [traceId, offline ? 1 : 0],
      ["tid", "offline"],
    );
    const out: R[] = [];
    let read = 0;
    let last: SpanCursor | undefined;
    for (const side of sides) {
      const sideOffline = int(side["offline"]) === 1;
      if (after?.offline && !sideOffline) continue;
      const from = after && after.offline === sideOffline ? after : undefined;
      const rows = this.rowsUntilDamage(
        `SELECT ${columns} FROM spans s INDEXED BY spans_time JOIN traces t ON t.tid = s.tid
         WHERE s.tid = ? ${from ? "AND (s.start_ns, s.id) > (?, ?)" : ""} ORDER BY s.start_ns, s.id LIMIT ?`,
        from ? [side["tid"], nsColumn(from.startNs), from.row, limit + 1 - read] : [side["tid"], limit + 1 - read],
        names,
      );
      for (const row of rows) {
        // One row past the page says there is a next one, which starts after the page's last row.
        if (read === limit) return { spans: out, next: last };
        read += 1;
        last = { offline: sideOffline, startNs: String(row["start_text"]), row: int(row["id"]) };
        const item = make(row);
        if (item !== undefined) out.push(item);
      }
    }
    return { spans: out };
  }

  /** Spans read by `sql` (columns {@link SPAN_READ}); damaged rows (body or origin) are skipped and counted. */
  private readSpans(sql: string, params: SqlValue[]): StoredSpan[] {
    const out: StoredSpan[] = [];
    for (const row of this.rowsUntilDamage(sql, params, SPAN_NAMES)) {
      const span = this.spanFromRow(row);
      if (span) out.push(span);
    }
    return out;
  }

  /** A span from a row of {@link SPAN_READ}; undefined (counted) when its body or origin is damaged. */
  private spanFromRow(row: SqlRow): StoredSpan | undefined {
    const origin = this.guard(() => this.origins.read(int(row["origin"])), undefined);
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
    if (!span) this.noteCorrupt(int(row["id"]));
    return span;
  }

  private noteCorrupt(id: number): void {
    if (this.corruptIds.has(id)) return;
    if (this.corruptIds.size < MAX_REMEMBERED_CORRUPT) this.corruptIds.add(id);
    this.corruptRows += 1;
    this.report("row", "a stored span could not be read back and was skipped");
  }

  private noteDamage(kind: DamageKind, detail: string): void {
    if (kind !== "write") this.damagedReads += 1;
    this.report(kind, detail);
  }

  private report(kind: DamageKind, detail: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.onDamage(kind, detail);
  }

  /** Runs a read; on a damaged page answers `fallback` instead (counted and reported). */
  private guard<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (err) {
      if (!isDamage(err)) throw err;
      this.noteDamage("page", "a damaged page was met and skipped");
      return fallback;
    }
  }

  /** The rows `sql` reads as objects of `names` (its columns, in order), up to the first damaged page. */
  private rowsUntilDamage(sql: string, params: SqlValue[], names: readonly string[]): SqlRow[] {
    const rows: SqlRow[] = [];
    this.guard(
      () =>
        this.stmts.get(sql).eachValues(params, (values) => {
          const row: SqlRow = {};
          names.forEach((name, i) => (row[name] = values[i]));
          rows.push(row);
        }),
      undefined,
    );
    return rows;
  }

  private afterWrite(spans: number): void {
    this.guard(() => this.pruner.afterWrite(spans), undefined);
  }

  /** A write that met a damaged page becomes a {@link StoreDamagedError} (answered 503, not 500). */
  private writeError(err: unknown): unknown {
    if (!isDamage(err)) return err;
    this.noteDamage("write", "a write met a damaged page; nothing of that request was stored");
    return new StoreDamagedError(`the trace database is damaged (${(err as Error).message}); nothing of this request was stored`);
  }
}

/** Whether a read of `query` needs windows: it has a condition besides `served`, which its index serves alone. */
function windowedBesides(query: TraceQuery, served: (keyof TraceQuery)[]): boolean {
  return (Object.keys(query) as (keyof TraceQuery)[]).some((key) => query[key] !== undefined && !served.includes(key));
}

/** What damage was met: a row that cannot be read back, a page that cannot be read, or a write that failed on one. */
export type DamageKind = "row" | "page" | "write";

const SPAN_NAMES = SPAN_FIELDS.map(([name]) => name);
const OUTLINE_READ =
  "s.span_id, s.parent_span_id, s.name, s.span_type, s.status, CAST(s.start_ns AS TEXT), CAST(s.end_ns AS TEXT), " +
  "s.input_tokens, s.output_tokens, s.cost_usd, s.id, t.offline";
const OUTLINE_FIELDS = [
  "span_id",
  "parent_span_id",
  "name",
  "span_type",
  "status",
  "start_text",
  "end_text",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "id",
  "offline",
];
