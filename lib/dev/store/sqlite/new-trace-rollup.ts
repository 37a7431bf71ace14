import { Keys } from "../../../wire/keys.js";
import { compareNanos } from "../nanos.js";
import { preview, runOf, type SpanFacts } from "../span-facts.js";
import type { StoredSpan } from "../span-types.js";
import { nsColumn } from "./columns.js";
import type { SqlValue } from "./driver.js";

/**
 * The rollup row of new trace `tid` whose spans are `group` (the SQL of the writer's recomputation, done in
 * JavaScript), in the order the span writer inserts them.
 */
export function newTraceRollup(tid: number, group: readonly StoredSpan[], facts: readonly SpanFacts[]): SqlValue[] {
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

/** SQLite's `max()` over text: nulls ignored. */
function maxText(a: string | null, b: string | null): string | null {
  return a === null || (b !== null && b > a) ? b : a;
}
