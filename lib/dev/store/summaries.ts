import { Keys } from "../../wire/keys.js";
import { compareNanos, spanMs } from "./nanos.js";
import { preview, runOf, spanFacts } from "./span-facts.js";
import type { StoredSpan, TraceQuery, TraceSummary } from "../types.js";
import type { TraceCursor } from "./trace-store.js";

/** The root of a trace: the span without a parent, else the one whose parent is missing, else the first. */
function rootSpan(spans: readonly StoredSpan[]): StoredSpan {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.find((s) => s.parentSpanId === null) ?? spans.find((s) => !ids.has(s.parentSpanId!)) ?? spans[0];
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
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd: number | null = null;
  let errorCount = 0;
  let inProgress = false;
  for (const span of spans) {
    if (compareNanos(span.startTimeUnixNano, start) < 0) start = span.startTimeUnixNano;
    if (span.ended && compareNanos(span.endTimeUnixNano, end) > 0) end = span.endTimeUnixNano;
    if (span.receivedAt > updatedAt) updatedAt = span.receivedAt;
    if (span.status.code === "error") errorCount += 1;
    if (!span.ended) inProgress = true;
    const facts = spanFacts(span);
    inputTokens += facts.inputTokens;
    outputTokens += facts.outputTokens;
    if (facts.costUsd !== null) costUsd = (costUsd ?? 0) + facts.costUsd;
  }
  // Propagated ids sit on every span; the root may be a partial emit without them yet.
  const firstWith = (pick: (s: StoredSpan) => string | null): string | null =>
    pick(root) ?? spans.map(pick).find((v) => v !== null) ?? null;
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
    inProgress,
    sessionId: firstWith((s) => spanFacts(s).sessionId),
    customerId: firstWith((s) => spanFacts(s).customerId),
    customerUserId: firstWith((s) => spanFacts(s).customerUserId),
    tags,
    updatedAt,
    inputTokens,
    outputTokens,
    costUsd,
    inputPreview: preview(root, Keys.input),
    outputPreview: preview(root, Keys.output),
    run: firstWith(runOf),
  };
}

/** Newest first by start time, then by trace id and side (the order cursors follow). */
export function compareNewestFirst(a: Pick<TraceSummary, "startTimeUnixNano" | "traceId" | "offline">, b: typeof a): number {
  return (
    compareNanos(b.startTimeUnixNano, a.startTimeUnixNano) ||
    (a.traceId < b.traceId ? 1 : a.traceId > b.traceId ? -1 : 0) ||
    Number(b.offline) - Number(a.offline)
  );
}

/** True when `summary` comes after `cursor` in {@link compareNewestFirst} order. */
export function isAfter(summary: TraceSummary, cursor: TraceCursor): boolean {
  return compareNewestFirst(cursor, summary) < 0;
}

const contains = (haystack: string, needle: string): boolean => haystack.toLowerCase().includes(needle.toLowerCase());

/**
 * Whether a trace passes every given field of `query` (the JavaScript twin of
 * the SQL filter, for the memory-only store).
 */
export function matchesQuery(summary: TraceSummary, spans: readonly StoredSpan[], query: TraceQuery): boolean {
  const ms = (ns: string): number => Number(BigInt(ns) / 1_000_000n);
  return (
    (query.offline === undefined || summary.offline === query.offline) &&
    (query.projectId === undefined || summary.projectId === query.projectId) &&
    (query.traceId === undefined || summary.traceId === query.traceId) &&
    (query.name === undefined || contains(summary.rootName, query.name)) &&
    (query.kind === undefined || summary.rootSpanType === query.kind) &&
    (query.status === undefined ||
      (query.status === "error"
        ? summary.status === "error"
        : query.status === "in_progress"
          ? summary.inProgress
          : summary.status !== "error" && !summary.inProgress)) &&
    (query.sessionId === undefined || summary.sessionId === query.sessionId) &&
    (!query.hasSession || summary.sessionId !== null) &&
    (query.customerId === undefined || summary.customerId === query.customerId || summary.customerUserId === query.customerId) &&
    (query.tag === undefined || summary.tags.includes(query.tag)) &&
    (query.from === undefined || ms(summary.startTimeUnixNano) >= query.from) &&
    (query.to === undefined || ms(summary.startTimeUnixNano) < query.to) &&
    (query.text === undefined ||
      contains(summary.rootName, query.text) ||
      spans.some((s) => contains(JSON.stringify(s), JSON.stringify(query.text).slice(1, -1))))
  );
}
