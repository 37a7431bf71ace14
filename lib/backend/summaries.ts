import type { StoredSpan, TraceSummary } from "./types.js";

function stringAttr(span: StoredSpan | undefined, key: string): string | null {
  const value = span?.attributes[key];
  return typeof value === "string" ? value : null;
}

/** The root of a trace: the span without a parent, else the one whose parent is missing, else the first. */
export function rootSpan(spans: readonly StoredSpan[]): StoredSpan {
  const ids = new Set(spans.map((s) => s.spanId));
  return (
    spans.find((s) => s.parentSpanId === null) ??
    spans.find((s) => !ids.has(s.parentSpanId!)) ??
    spans[0]!
  );
}

/**
 * Summarizes one trace. `spans` must be non-empty, all of one trace and one side
 * (live or offline), sorted by start time.
 */
export function summarizeTrace(spans: readonly StoredSpan[], tags: string[]): TraceSummary {
  const root = rootSpan(spans);
  let start = BigInt(spans[0]!.startTimeUnixNano);
  let end = 0n;
  let updatedAt = 0;
  for (const span of spans) {
    const s = BigInt(span.startTimeUnixNano);
    if (s < start) start = s;
    if (span.ended && BigInt(span.endTimeUnixNano) > end) end = BigInt(span.endTimeUnixNano);
    if (span.receivedAt > updatedAt) updatedAt = span.receivedAt;
  }
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
    startTimeUnixNano: start.toString(),
    durationMs: end > start ? Number(end - start) / 1e6 : 0,
    spanCount: spans.length,
    status: spans.some((s) => s.status.code === "error") ? "error" : root.status.code,
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
  const d = BigInt(b.startTimeUnixNano) - BigInt(a.startTimeUnixNano);
  if (d !== 0n) return d < 0n ? -1 : 1;
  return a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;
}
