/**
 * A span as the local backend stores it. Every shape is plain JSON (no bigint,
 * no Buffer), so the in-process query methods and the HTTP query API return the
 * same objects.
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
