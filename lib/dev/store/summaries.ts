import { compareNanos, spanMs } from "./nanos.js";
import type { StoredSpan, TraceSummary } from "../types.js";

function stringAttr(span: StoredSpan | undefined, key: string): string | null {
  const value = span?.attributes[key];
  return typeof value === "string" ? value : null;
}

/** The root of a trace: the span without a parent, else the one whose parent is missing, else the first. */
function rootSpan(spans: readonly StoredSpan[]): StoredSpan {
  const ids = new Set(spans.map((s) => s.spanId));
  return (
    spans.find((s) => s.parentSpanId === null) ??
    spans.find((s) => !ids.has(s.parentSpanId!)) ??
    spans[0]
  );
}

/**
 * Summarizes one trace. `spans` must be non-empty, all of one trace and one side
 * (live or offline), sorted by start time.
 */
export function summarizeTrace(spans: readonly StoredSpan[], tags: string[]): TraceSummary {
  const root = rootSpan(spans);
  let start = spans[0].startTimeUnixNano;
  let end = "0";
  let updatedAt = 0;
  for (const span of spans) {
    if (compareNanos(span.startTimeUnixNano, start) < 0) start = span.startTimeUnixNano;
    if (span.ended && compareNanos(span.endTimeUnixNano, end) > 0) end = span.endTimeUnixNano;
    if (span.receivedAt > updatedAt) updatedAt = span.receivedAt;
  }
  const errorCount = spans.filter((s) => s.status.code === "error").length;
  // Propagated ids sit on every span; the root may be a partial emit without them yet.
  const firstWith = (key: string): string | null =>
    stringAttr(root, key) ?? stringAttr(spans.find((s) => stringAttr(s, key) !== null), key);
  return {
    traceId: root.traceId,
    projectId: root.projectId,
    offline: root.offline,
    rootName: root.name,
    rootSpanId: root.spanId,
    rootSpanType: root.spanType,
    startTimeUnixNano: start,
    durationMs: spanMs(start, end),
    spanCount: spans.length,
    status: errorCount > 0 ? "error" : root.status.code,
    errorCount,
    inProgress: spans.some((s) => !s.ended),
    sessionId: firstWith("judgment.session_id"),
    customerId: firstWith("judgment.customer_id"),
    customerUserId: firstWith("judgment.customer_user_id"),
    tags,
    updatedAt,
  };
}

/** Newest first by start time; ties broken by trace id for a stable order. */
export function compareNewestFirst(a: TraceSummary, b: TraceSummary): number {
  return compareNanos(b.startTimeUnixNano, a.startTimeUnixNano) || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0);
}
