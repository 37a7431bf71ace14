import type { ProjectRecord } from "./projects.js";
import type { SpanFilter, SpanOutline, TracePage, TraceQuery, TraceSummary } from "./query-types.js";
import type { StoredSpan } from "./span-types.js";

/** A request could not be stored because the database is full; nothing of it was kept. */
export class StoreFullError extends Error {
  constructor(message = "the trace database is full") {
    super(message);
    this.name = "StoreFullError";
  }
}

/** A request could not be stored because a page it had to write is damaged; nothing of it was kept. */
export class StoreDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreDamagedError";
  }
}

/** What the start-up integrity check of the database found: not run (no worker threads, or memory only), running, or its finding. */
export type IntegrityState =
  | { state: "unchecked" | "checking" | "ok" }
  | {
      state: "damaged";
      /** SQLite's first findings, e.g. "Tree 4 page 26029: btreeInitPage() returns error code 11". */
      problems: string[];
    };

/** Store-side totals, merged into the backend's counters. */
export interface StoreStats {
  corruptRows: number;
  damagedReads: number;
  prunedTraces: number;
}

/**
 * Where spans live. Writes fold partial emits: for each `(offline, traceId,
 * spanId)` only the copy with the highest `judgment.update_id` is kept (ties go
 * to the later arrival). A `put` is all or nothing.
 */
export interface TraceStore {
  readonly mode: StorageMode;
  /** Stores one request's spans; returns how many replaced or added a copy. @throws StoreFullError */
  put(spans: readonly StoredSpan[]): number;
  /** Stores several requests' spans in one transaction, all or nothing; returns the count of each. */
  putGroup(requests: readonly (readonly StoredSpan[])[]): number[];
  /** Adds tags to a trace (union, first-seen order); returns the trace's tags. */
  addTags(traceId: string, tags: readonly string[]): string[];
  tags(traceId: string): string[];
  /** Spans matching `filter`, in start order. */
  spans(filter: SpanFilter): StoredSpan[];
  /**
   * A page of outlines of a trace's spans, at most `limit`, after `after`: the live side's spans in start order, then
   * the offline side's; `next` is where the next page starts (undefined on the last).
   */
  outline(
    traceId: string,
    offline: boolean | undefined,
    limit: number,
    after: SpanCursor | undefined,
  ): { spans: SpanOutline[]; next?: SpanCursor };
  /** A page of trace summaries, newest first. */
  traces(query: TraceQuery, limit: number, after: TraceCursor | undefined): TraceSummary[];
  /** A page of a trace's spans in full, in the order of {@link outline}. */
  spanPage(
    traceId: string,
    offline: boolean | undefined,
    limit: number,
    after: SpanCursor | undefined,
  ): { spans: StoredSpan[]; next?: SpanCursor };
  /** How many traces there are of a project and side, from counts kept as traces come and go (no trace is read). */
  countTraces(query: Pick<TraceQuery, "offline" | "projectId">): number;
  /**
   * One bounded step of a trace list read: the summaries (without tags) of at most `limit` traces after `after` that
   * match `query`, read from at most {@link LIST_WINDOW} traces of the list when no index serves `query`.
   */
  traceWindow(query: TraceQuery, limit: number, after: TraceCursor | undefined): ListWindow<TraceSummary>;
  /**
   * One bounded step of a text search: at most `limit` traces after `after` (within {@link LIST_WINDOW}) that match
   * `query` but for its `text`, which the caller checks with {@link tracesWithText}.
   */
  searchWindow(query: TraceQuery, limit: number, after: TraceCursor | undefined): ListWindow<SearchCandidate>;
  /** Of the traces numbered `tids`, those with a span whose name or body holds `text` (reads their spans). */
  tracesWithText(tids: readonly number[], text: string): Set<number>;
  /** The summaries, with tags, of the traces numbered `tids`, in list order. */
  summariesOf(tids: readonly number[]): TraceSummary[];
  /**
   * Whether one page of at most `limit` spans of trace `tid`, after `after`, holds `text` in a name or body; `next` is
   * where the next page starts (undefined on the last). For traces too large to read at once.
   */
  textInTrace(tid: number, text: string, after: SpanCursor | undefined, limit: number): { found: boolean; next?: SpanCursor };
  /** Sets the tags of `summaries` (one query). */
  withTags(summaries: TraceSummary[]): TraceSummary[];
  /** One bounded step of the sessions view's read: the newest traces with a session that match `query`, after `after`. */
  sessionTraces(query: TraceQuery, limit: number, after?: TraceCursor): ListWindow<SessionTrace>;
  /** One bounded step of the experiments view's read: the newest offline traces that match `query`, after `after`. */
  experimentTraces(query: TraceQuery, limit: number, after?: TraceCursor): ListWindow<ExperimentTrace>;
  /** Spans of other traces whose `judgment.link.*` points at `traceId`, plus this trace's spans that carry one. */
  linkSpans(traceId: string): StoredSpan[];
  hasTrace(traceId: string): boolean;
  projects(): ProjectRecord[];
  addProject(project: ProjectRecord): void;
  stats(): StoreStats;
  /** What the start-up integrity check found (see `integrity-check.ts`). */
  integrity(): IntegrityState;
  close(): void;
}

/**
 * One bounded step of a read in list order: the rows found, and `end`, where the next step starts (after the last
 * row, or after the last trace visited when fewer rows matched); null when the list has no more traces.
 */
export interface ListWindow<R> {
  rows: R[];
  end: TraceCursor | null;
}

/** A trace a search step may read the spans of: its position in the list, row number and size. */
export interface SearchCandidate extends TraceCursor {
  tid: number;
  spanCount: number;
}

/** Traces a step visits at most when no index serves its conditions (one range of the start-time index). */
export const LIST_WINDOW = 2000;

/** What the sessions view reads of a trace. */
export type SessionTrace = Pick<
  TraceSummary,
  | "projectId"
  | "sessionId"
  | "customerId"
  | "errorCount"
  | "inputTokens"
  | "outputTokens"
  | "costUsd"
  | "startTimeUnixNano"
  | "traceId"
  | "offline"
>;

/** What the experiments view reads of a trace. */
export type ExperimentTrace = Pick<
  TraceSummary,
  | "traceId"
  | "projectId"
  | "rootName"
  | "startTimeUnixNano"
  | "durationMs"
  | "errorCount"
  | "status"
  | "inputTokens"
  | "outputTokens"
  | "costUsd"
  | "inputPreview"
  | "outputPreview"
  | "run"
> & {
  /** The runner's `judgeval.experiment.expected_output` on the root span (first characters), for runs with an id. */
  expected: string | null;
  /** The runner's `judgeval.experiment.scores` text on the root span, for runs with an id. */
  scoresText: string | null;
};

/** Position in the newest-first order: the last trace of a page. */
export interface TraceCursor {
  startTimeUnixNano: string;
  traceId: string;
  offline: boolean;
}

/** Position in a trace's span pages: the side, then (start time, row) within it. */
export interface SpanCursor {
  offline: boolean;
  startNs: string;
  row: number;
}

/** Encodes a span page position as an opaque cursor. */
export function encodeSpanCursor(c: SpanCursor): string {
  return Buffer.from(JSON.stringify([c.offline ? 1 : 0, c.startNs, c.row])).toString("base64url");
}

/** Decodes a span page cursor; undefined when it is not one this backend made. */
export function decodeSpanCursor(cursor: string): SpanCursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      (v[0] === 0 || v[0] === 1) &&
      typeof v[1] === "string" &&
      /^-?\d{1,20}$/.test(v[1]) &&
      Number.isSafeInteger(v[2])
    ) {
      return { offline: v[0] === 1, startNs: v[1], row: v[2] as number };
    }
  } catch {
    // not base64url JSON
  }
  return undefined;
}

/** The position of a trace in the newest-first order. */
export function cursorOf(trace: Pick<TraceSummary, "startTimeUnixNano" | "traceId" | "offline">): TraceCursor {
  return { startTimeUnixNano: trace.startTimeUnixNano, traceId: trace.traceId, offline: trace.offline };
}

/** Encodes a position in the newest-first order as an opaque cursor. */
export function encodeCursor(c: TraceCursor): string {
  return Buffer.from(JSON.stringify(cursorOf(c))).toString("base64url");
}

/** Decodes a cursor; undefined when it is not one this backend made. */
export function decodeCursor(cursor: string): TraceCursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<TraceCursor>;
    if (
      typeof c.startTimeUnixNano === "string" &&
      /^\d{1,20}$/.test(c.startTimeUnixNano) &&
      typeof c.traceId === "string" &&
      /^[0-9a-f]{32}$/.test(c.traceId) &&
      typeof c.offline === "boolean"
    ) {
      return c as TraceCursor;
    }
  } catch {
    // not base64url JSON
  }
  return undefined;
}

/** Runs a page query and adds the next cursor. */
export function tracePage(store: TraceStore, query: TraceQuery, limit: number, after: TraceCursor | undefined): TracePage {
  const rows = store.traces(query, limit + 1, after);
  const traces = rows.slice(0, limit);
  return { traces, nextCursor: rows.length > limit ? encodeCursor(traces[traces.length - 1]) : null };
}

/** Where the backend keeps its spans. */
export type StorageMode = "sqlite-file" | "sqlite-memory";
