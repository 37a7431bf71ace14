/**
 * Data shapes of the local backend: what it stores, what its queries return and
 * how it is configured. Every shape is plain JSON (no bigint, no Buffer), so the
 * in-process query methods and the HTTP query API return the same objects.
 */

/** An attribute value decoded from OTLP `AnyValue`; bytes become lowercase hex strings. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** Attribute map of a span, event, link, resource or scope. */
export type Attributes = Record<string, AttributeValue>;

/** OpenTelemetry span kind, by name (`unspecified` when the sender left it out). */
export type SpanKindName = "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";

/** OpenTelemetry span status code, by name. */
export type StatusCodeName = "unset" | "ok" | "error";

/** A timed event recorded on a span (exceptions arrive as events named `exception`). */
export interface StoredEvent {
  name: string;
  /** Nanoseconds since the Unix epoch, as a decimal string (exceeds `Number.MAX_SAFE_INTEGER`). */
  timeUnixNano: string;
  attributes: Attributes;
}

/** An OpenTelemetry link from a span to another span context. */
export interface StoredLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/**
 * One span as stored: the copy with the highest `judgment.update_id` received for
 * its `(offline, traceId, spanId)`.
 *
 * Times are nanoseconds since the Unix epoch as decimal strings: exact, and
 * JSON-safe unlike `bigint`. Use `BigInt(span.startTimeUnixNano)` for arithmetic,
 * or `durationMs` for the common case.
 */
export interface StoredSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters, or null for a root span. */
  parentSpanId: string | null;
  name: string;
  kind: SpanKindName;
  /** `judgment.span_kind` attribute, `"span"` when absent. */
  spanType: string;
  startTimeUnixNano: string;
  /** `"0"` while the span is still open (a partial emit without an end time). */
  endTimeUnixNano: string;
  /** End minus start in milliseconds; 0 while the span has no end time. */
  durationMs: number;
  /** False while the stored copy has no end time. */
  ended: boolean;
  status: { code: StatusCodeName; message: string };
  attributes: Attributes;
  events: StoredEvent[];
  links: StoredLink[];
  /** Attributes of the resource the span was exported with. */
  resource: Attributes;
  scope: { name: string; version: string };
  /** `judgment.update_id` of the stored copy (0 when the attribute was missing). */
  updateId: number;
  /** True when received on the offline (experiment) endpoint. */
  offline: boolean;
  /** The `X-Project-Id` the span was exported under. */
  projectId: string;
  /** When the stored copy arrived, in milliseconds since the Unix epoch. */
  receivedAt: number;
}

/** Narrows span and trace queries; every field that is given must match. */
export interface SpanFilter {
  traceId?: string;
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
  /** True when the trace has more spans than the outline lists. */
  truncated: boolean;
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

/** The routes a fault can be injected into. `all` covers every wire route (docs/wire.md). */
export type FaultRoute = "ingest" | "resolve" | "tags" | "all";

/** A failure the backend plays on the next matching requests (delivery tests). */
export interface FaultSpec {
  /** Which requests the fault applies to; default `all`. */
  route?: FaultRoute;
  /** Status to answer with; default 503. Ignored when `hang` is set. */
  status?: number;
  /** How many matching requests get the fault; default 1. `Infinity` until cleared. */
  times?: number;
  /** Adds a `Retry-After` header with this many seconds. */
  retryAfterSeconds?: number;
  /** Accept the request and never answer it (until `stop()`/`close()`). */
  hang?: boolean;
}

/** One received HTTP request, recorded for assertions on headers and outcomes. */
export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lowercase header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Response status; 0 while unanswered (or hung by a fault). */
  status: number;
  /** Bytes of the request body as received (before gunzip); 0 when not read. */
  bodyBytes: number;
  /** Arrival time in milliseconds since the Unix epoch. */
  receivedAt: number;
}

/** Running totals since the backend started. */
export interface BackendCounters {
  /** Span copies accepted on either ingest endpoint, partial emits included. */
  acceptedSpans: number;
  acceptedLiveSpans: number;
  acceptedOfflineSpans: number;
  /** Ingest requests answered with 2xx. */
  ingestRequests: number;
  /** Requests answered with a 4xx or 5xx (injected faults included). */
  rejectedRequests: number;
  /** Stored rows that could not be read back (not JSON, or the wrong shape) and were skipped. */
  corruptRows: number;
  /** Traces removed by retention (age or size). */
  prunedTraces: number;
  /** With `forwardTo`: requests forwarded, failed, and dropped because the target fell behind. */
  forwarded?: number;
  forwardFailures?: number;
  forwardDropped?: number;
}

/** The counters the HTTP side keeps (the rest come from the store and the forwarder). */
export type RequestCounters = Pick<
  BackendCounters,
  "acceptedSpans" | "acceptedLiveSpans" | "acceptedOfflineSpans" | "ingestRequests" | "rejectedRequests"
>;

/** Where the backend keeps its spans. */
export type StorageMode = "sqlite-file" | "sqlite-memory";

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

/** Caps on what one ingest request may carry; over a cap the request is refused with a 4xx naming it. */
export interface IngestLimits {
  /** Spans in one request; default 20000. */
  maxSpansPerRequest?: number;
  /** Attributes on one span (or event, link, resource); default 2000. */
  maxAttributesPerSpan?: number;
  /** Nesting of array and map values; default 32. */
  maxValueDepth?: number;
  /** Decoded bytes of ingest bodies being stored at once before new ones get 503 + Retry-After; default 64 MiB. */
  maxPendingBytes?: number;
}

/** Options of {@link LocalBackend.start}. */
export interface LocalBackendOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Bearer key every request to a wire endpoint must carry; default `local-dev-key`. */
  apiKey?: string;
  /** `X-Organization-Id` every request to a wire endpoint must carry; default `local-dev-org`. */
  organizationId?: string;
  /** When given, only these project names resolve; otherwise any name does. */
  projects?: string[];
  /**
   * Directory of the SQLite database (created 0700, files 0600). Omitted: an
   * in-memory SQLite database. Where the runtime has no SQLite engine,
   * {@link LocalBackend.start} rejects with `PersistenceUnavailableError`.
   */
  dataPath?: string;
  /** When the oldest traces are removed. */
  retention?: RetentionOptions;
  /** Caps on ingest requests. */
  limits?: IngestLimits;
  /**
   * Extra `Host` names (or `host:port`) the viewer and APIs answer to, beside the
   * loopback names and the bound address; `"*"` allows any (not recommended:
   * it re-opens DNS rebinding).
   */
  allowedHosts?: string[];
  /** Forward every accepted ingest request, as received, to this OTLP/HTTP traces URL (e.g. a Collector's `/v1/traces`). */
  forwardTo?: string;
  /** Receives operational warnings (e.g. forwarding failing); default `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /** Most recent requests kept in {@link LocalBackend.requests}; default 10000. */
  requestLogLimit?: number;
}

/** Options of the event-driven waits. */
export interface WaitOptions {
  /** Reject after this long; default 5000 ms. */
  timeoutMs?: number;
}
