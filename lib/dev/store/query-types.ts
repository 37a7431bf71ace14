import type { StatusCodeName, StoredSpan } from "./span-types.js";

/** What the store's queries take and return: the trace list, sessions, experiments and a trace's outline. */

/** Narrows span and trace queries; every field that is given must match. */
export interface SpanFilter {
  traceId?: string;
  /** With `traceId`: that one span, found through the store's (trace, span id) index. */
  spanId?: string;
  offline?: boolean;
  projectId?: string;
}

/** One line of the trace list. */
export interface TraceSummary {
  traceId: string;
  projectId: string;
  offline: boolean;
  /** Name of the root span (the span without a parent), else of the earliest span. */
  rootName: string;
  rootSpanId: string;
  /** `judgment.span_kind` of the root span. */
  rootSpanType: string;
  /** Earliest span start, nanoseconds since the epoch as a decimal string. */
  startTimeUnixNano: string;
  /** From the earliest start to the latest end, in milliseconds. */
  durationMs: number;
  spanCount: number;
  /** `error` when any span has status ERROR, else the root span's status. */
  status: StatusCodeName;
  /** Spans with status ERROR (a caught failure deep in the tree counts too). */
  errorCount: number;
  /** True while any stored span has no end time. */
  inProgress: boolean;
  sessionId: string | null;
  customerId: string | null;
  customerUserId: string | null;
  tags: string[];
  /** Latest `receivedAt` of the trace's spans: lets pollers detect change. */
  updatedAt: number;
  /** Input tokens of every span (non-cached, cache read and cache creation), summed. */
  inputTokens: number;
  /** Output tokens of every span, summed. */
  outputTokens: number;
  /** `judgment.usage.total_cost_usd` of every span, summed; null when no span carries a cost. */
  costUsd: number | null;
  /** The root span's `judgment.input`, cut to {@link PREVIEW_CHARS} characters. */
  inputPreview: string | null;
  /** The root span's `judgment.output`, cut to {@link PREVIEW_CHARS} characters. */
  outputPreview: string | null;
  /** Experiment run of an offline trace: the `judgment.experiment.run` resource attribute, when set. */
  run: string | null;
}

/** Length of the input and output previews in a {@link TraceSummary}. */
export const PREVIEW_CHARS = 300;

/** Trace status as filtered on: `in_progress` means some span has no end time yet. */
export type TraceStatusFilter = "ok" | "error" | "in_progress";

/**
 * Narrows the trace list; every field that is given must match. Text matching
 * is case-insensitive for ASCII.
 */
export interface TraceQuery extends SpanFilter {
  /** Part of the root span's name. */
  name?: string;
  /** The root span's `judgment.span_kind` (e.g. `agent`, `llm`). */
  kind?: string;
  status?: TraceStatusFilter;
  sessionId?: string;
  /** Matches `judgment.customer_id` or `judgment.customer_user_id`. */
  customerId?: string;
  tag?: string;
  /** Traces that started at or after this time, in milliseconds since the epoch. */
  from?: number;
  /** Traces that started before this time, in milliseconds since the epoch. */
  to?: number;
  /** Text in any span's name, input, output or other attribute values. */
  text?: string;
  /** Only traces that carry a session id. */
  hasSession?: boolean;
  /** Page size; default 50, at most 1000. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** Traces that share a `judgment.session_id` (within one project). */
export interface SessionSummary {
  sessionId: string;
  projectId: string;
  traceCount: number;
  /** Traces with at least one error. */
  errorCount: number;
  firstStartTimeUnixNano: string;
  lastStartTimeUnixNano: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  customerId: string | null;
}

/** One example of an experiment run: an offline trace's root input and output. */
export interface ExperimentExample {
  traceId: string;
  /** Name of the root span. */
  name: string;
  input: string | null;
  output: string | null;
  status: StatusCodeName;
  durationMs: number;
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  /** The item's expected output the experiment runner recorded (first 300 characters), or null. */
  expected: string | null;
  /** Local scores the experiment runner recorded on the root span (`judgeval.experiment.scores`), or null. */
  scores: ExperimentScore[] | null;
}

/** One local score of an example, as the experiment runner wrote it (docs/wire.md, "Experiment attributes"). */
export interface ExperimentScore {
  name: string;
  /** Absent when the scorer failed on this example. */
  score?: number;
  pass?: boolean;
  reason?: string;
  /** The scorer's error message. */
  error?: string;
}

/** Offline traces of one experiment run. */
export interface ExperimentRun {
  /** The run's name, or `run-<first trace id prefix>` for runs grouped by arrival. */
  id: string;
  /** `judgment.experiment.run` resource attribute of its spans, when set. */
  name: string | null;
  projectId: string;
  firstStartTimeUnixNano: string;
  lastStartTimeUnixNano: string;
  /** Examples whose trace has an error. */
  errorCount: number;
  costUsd: number | null;
  /** Oldest first. */
  examples: ExperimentExample[];
}

/**
 * A span without its attribute maps, events and links: what the trace tree
 * needs for every row (`GET /api/v1/traces/:id`). The full span is one more
 * request (`GET /api/v1/traces/:id/spans/:spanId`).
 */
export interface SpanOutline {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** `judgment.span_kind`. */
  spanType: string;
  status: StatusCodeName;
  startTimeUnixNano: string;
  /** `"0"` while the span is open. */
  endTimeUnixNano: string;
  offline: boolean;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** A trace as the trace page needs it: summaries, tags, links and span outlines. */
export interface TraceOutline {
  traceId: string;
  summaries: TraceSummary[];
  spans: SpanOutline[];
  /** True when the trace has more spans than this page lists. */
  truncated: boolean;
  /** Pass as `cursor` for the next page of spans; null on the last page. */
  nextCursor: string | null;
  tags: string[];
  links: TraceLink[];
}

/** One page of the trace list, newest first. */
export interface TracePage {
  traces: TraceSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A trace linked to another through `judgment.link.*` attributes (fork / linked traces). */
export interface TraceLink {
  /** `from`: this trace was started from the other one; `to`: this trace started the other one. */
  direction: "from" | "to";
  /** The other trace. */
  traceId: string;
  /** The span in the other trace (its invocation span or its root), when known. */
  spanId: string | null;
  /** The span in this trace that carries or receives the link, when known. */
  localSpanId: string | null;
  /** Whether the other trace has spans in this backend. */
  exists: boolean;
}

/** One trace with everything the viewer shows. */
export interface TraceDetail {
  traceId: string;
  /** One summary per side the trace was received on (live, offline or both). */
  summaries: TraceSummary[];
  /** Spans of every side returned, in start order. */
  spans: StoredSpan[];
  tags: string[];
  links: TraceLink[];
}
