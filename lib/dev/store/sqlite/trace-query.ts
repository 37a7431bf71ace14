import { spanMs } from "../nanos.js";
import type { ExperimentTrace, SearchCandidate, SessionTrace, TraceCursor } from "../trace-store.js";
import { PREVIEW_CHARS, type TraceQuery, type TraceSummary } from "../query-types.js";
import { ExperimentKeys } from "../../../wire/keys.js";
import type { StatusCodeName } from "../span-types.js";
import { int, nsColumn, str } from "./columns.js";
import type { SqlValue } from "./driver.js";

// The sessions and experiments views read thousands of traces, so each reads only its own columns (a row read costs
// by its width); the session columns are all held in the index `traces_with_session`, which then serves alone. The
// column lists and readers build on each other, from what every view reads to the whole summary; rows are read as
// arrays (see `SqlStatement.values`), each reader taking its columns by position, in the order of the list it names.
const CORE_COLUMNS = ["t.project_id", "CAST(t.start_ns AS TEXT)", "t.error_count", "t.input_tokens", "t.output_tokens", "t.cost_usd"];
/** The columns of {@link sessionTrace}. */
export const SESSION_COLUMNS = [...CORE_COLUMNS, "t.session_id", "t.customer_id", "t.trace_id", "t.offline"].join(", ");
const EXPERIMENT_LIST = [
  ...CORE_COLUMNS,
  "t.trace_id",
  "t.root_name",
  "CAST(t.end_ns AS TEXT)",
  "t.status",
  "t.input_preview",
  "t.output_preview",
  "t.run",
];
/** An attribute of a trace's root span as the experiment runner wrote it: read for traces of a named run only. */
const runnerAttribute = (key: string): string =>
  `CASE WHEN t.run IS NULL THEN NULL ELSE (SELECT json_extract(s.body, '$.attributes."${key}"') FROM spans s WHERE s.tid = t.tid AND s.span_id = t.root_span_id) END`;
/** The columns of {@link experimentTrace}. */
export const EXPERIMENT_COLUMNS = [
  ...EXPERIMENT_LIST,
  runnerAttribute(ExperimentKeys.expected),
  runnerAttribute(ExperimentKeys.scores),
].join(", ");
/** The columns a trace summary is read from (see {@link traceSummary}). */
export const SUMMARY_COLUMNS = [
  ...EXPERIMENT_LIST,
  "t.offline",
  "t.root_span_id",
  "t.root_span_type",
  "t.span_count",
  "t.open_count",
  "t.session_id",
  "t.customer_id",
  "t.customer_user_id",
  "t.updated_at",
].join(", ");

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The LIKE patterns of `text` in a span: as JSON writes it (span bodies are JSON), and as written (names are plain
 * columns). Used with `ESCAPE '\\'`.
 */
export function textPatterns(text: string): { body: string; plain: string } {
  return { body: likePattern(JSON.stringify(text).slice(1, -1)), plain: likePattern(text) };
}

/**
 * The SQL and parameters of a page of the trace list: the `columns` of the traces matching `query`, after `after`,
 * newest first, at most `limit`.
 */
export function traceListQuery(
  columns: string,
  query: TraceQuery,
  limit: number,
  after: TraceCursor | undefined,
  floor?: TraceCursor,
): { sql: string; params: SqlValue[] } {
  const where = traceConditions(query, after);
  if (floor) where.add(`(t.start_ns, t.trace_id, t.offline) >= (?, ?, ?)`, ...cursorKey(floor));
  const sql = `SELECT ${columns} FROM traces t ${where.sql()} ORDER BY t.start_ns DESC, t.trace_id DESC, t.offline DESC LIMIT ?`;
  return { sql, params: [...where.params, limit] };
}

/**
 * Whether a page of the traces matching `query` may have to visit every trace: a condition no index of the list serves
 * (part of a name, a kind, ok or in progress, a customer, a tag, text, live only). Such a page is read a window of the
 * list at a time (see {@link windowFloorQuery}).
 */
export function needsWindows(query: TraceQuery): boolean {
  return (
    query.name !== undefined ||
    query.kind !== undefined ||
    query.status === "ok" ||
    query.status === "in_progress" ||
    query.customerId !== undefined ||
    query.tag !== undefined ||
    query.text !== undefined ||
    query.offline === false
  );
}

/**
 * The SQL and parameters of the lowest trace of the window of `window` traces after `after` (within `from` and `to`),
 * in list order: one range of the start-time index, whatever else `query` asks. No row when fewer are left.
 */
export function windowFloorQuery(query: TraceQuery, after: TraceCursor | undefined, window: number): { sql: string; params: SqlValue[] } {
  const where = traceConditions({ from: query.from, to: query.to }, after);
  return {
    sql: `SELECT CAST(t.start_ns AS TEXT), t.trace_id, t.offline FROM traces t INDEXED BY traces_start ${where.sql()}
      ORDER BY t.start_ns DESC, t.trace_id DESC, t.offline DESC LIMIT 1 OFFSET ?`,
    params: [...where.params, window - 1],
  };
}

/** The key of a trace in list order, as SQL parameters. */
function cursorKey(c: TraceCursor): SqlValue[] {
  return [nsColumn(c.startTimeUnixNano), c.traceId, c.offline ? 1 : 0];
}

/** The conditions of the traces matching `query`, after `after` in the newest-first order. */
function traceConditions(query: TraceQuery, after: TraceCursor | undefined): Conditions {
  const where = new Conditions();
  const add = (cond: string, ...values: SqlValue[]): void => where.add(cond, ...values);
  if (query.traceId !== undefined) add("t.trace_id = ?", query.traceId);
  // A literal, not a parameter: the planner can then read offline traces from their partial index.
  if (query.offline !== undefined) add(query.offline ? "t.offline = 1" : "t.offline = 0");
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
    const { body, plain } = textPatterns(query.text);
    add(
      "(t.root_name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM spans s WHERE s.tid = t.tid AND (s.body LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\')))",
      plain,
      body,
      plain,
    );
  }
  if (after) add("(t.start_ns, t.trace_id, t.offline) < (?, ?, ?)", ...cursorKey(after));
  return where;
}

type CoreField = "projectId" | "startTimeUnixNano" | "errorCount" | "inputTokens" | "outputTokens" | "costUsd";

/** What every view reads of a trace, from a row of {@link CORE_COLUMNS}. */
function core(v: SqlValue[]): Pick<TraceSummary, CoreField> {
  return {
    projectId: String(v[0]),
    startTimeUnixNano: String(v[1]),
    errorCount: int(v[2]),
    inputTokens: int(v[3]),
    outputTokens: int(v[4]),
    costUsd: v[5] === null || v[5] === undefined ? null : Number(v[5]),
  };
}

const C = CORE_COLUMNS.length;

/** A session's trace from a row of {@link SESSION_COLUMNS}. */
export function sessionTrace(v: SqlValue[]): SessionTrace {
  return { ...core(v), sessionId: str(v[C]), customerId: str(v[C + 1]), traceId: String(v[C + 2]), offline: int(v[C + 3]) === 1 };
}

/** An experiment's trace from a row of {@link EXPERIMENT_COLUMNS}. */
export function experimentTrace(v: SqlValue[]): ExperimentTrace {
  const expected = str(v[E]);
  return {
    ...experimentSummary(v),
    expected: expected === null ? null : expected.slice(0, PREVIEW_CHARS),
    scoresText: str(v[E + 1]),
  };
}

/** The part of {@link experimentTrace} a trace summary shares. */
function experimentSummary(v: SqlValue[]): Omit<ExperimentTrace, "expected" | "scoresText"> {
  return {
    ...core(v),
    traceId: String(v[C]),
    rootName: String(v[C + 1]),
    durationMs: spanMs(String(v[1]), String(v[C + 2])),
    status: String(v[C + 3]) as StatusCodeName,
    inputPreview: str(v[C + 4]),
    outputPreview: str(v[C + 5]),
    run: str(v[C + 6]),
  };
}

const E = EXPERIMENT_LIST.length;

/** A trace summary from a row of {@link SUMMARY_COLUMNS}, without its tags (they come from their own table). */
export function traceSummary(v: SqlValue[]): TraceSummary {
  return {
    ...experimentSummary(v),
    offline: int(v[E]) === 1,
    rootSpanId: String(v[E + 1]),
    rootSpanType: String(v[E + 2]),
    spanCount: int(v[E + 3]),
    inProgress: int(v[E + 4]) > 0,
    sessionId: str(v[E + 5]),
    customerId: str(v[E + 6]),
    customerUserId: str(v[E + 7]),
    tags: [],
    updatedAt: int(v[E + 8]),
  };
}

/** The columns of {@link searchCandidate}: the trace's position in the list, row number and span count. */
export const CANDIDATE_COLUMNS = "CAST(t.start_ns AS TEXT), t.trace_id, t.offline, t.tid, t.span_count";

/** A trace a search reads the spans of, from a row of {@link CANDIDATE_COLUMNS}. */
export function searchCandidate(v: SqlValue[]): SearchCandidate {
  return { startTimeUnixNano: String(v[0]), traceId: String(v[1]), offline: int(v[2]) === 1, tid: int(v[3]), spanCount: int(v[4]) };
}

/** A WHERE clause built from conditions and their parameters. */
export class Conditions {
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
