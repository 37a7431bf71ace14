import { Keys } from "../../wire/keys.js";
import type { TraceLink } from "./query-types.js";
import type { StoredSpan } from "./span-types.js";

const SOURCE_TRACE = Keys.linkSourceTraceId;
const SOURCE_SPAN = Keys.linkSourceSpanId;
const TARGET_TRACE = Keys.linkTargetTraceId;
const TARGET_SPAN = Keys.linkTargetSpanId;

function str(span: StoredSpan, key: string): string | null {
  const v = span.attributes[key];
  return typeof v === "string" && v !== "" ? v.toLowerCase() : null;
}

/**
 * The traces linked to `traceId` (docs/wire.md, `judgment.link.*`), found from either
 * end: the attributes on this trace's spans, and those on other traces' spans
 * that point here — so a link shows on both traces even if only one end
 * carries it. `allSpans` is every stored span; `exists` tells which ids resolve.
 */
export function linkedTraces(traceId: string, allSpans: Iterable<StoredSpan>, exists: (traceId: string) => boolean): TraceLink[] {
  const links = new Map<string, TraceLink>();
  const add = (direction: TraceLink["direction"], other: string, spanId: string | null, localSpanId: string | null): void => {
    if (other === traceId) return;
    const key = `${direction}:${other}`;
    const existing = links.get(key);
    if (existing) {
      existing.spanId ??= spanId;
      existing.localSpanId ??= localSpanId;
      return;
    }
    links.set(key, { direction, traceId: other, spanId, localSpanId, exists: exists(other) });
  };
  for (const span of allSpans) {
    const source = str(span, SOURCE_TRACE);
    const target = str(span, TARGET_TRACE);
    if (span.traceId === traceId) {
      if (source) add("from", source, str(span, SOURCE_SPAN), span.spanId);
      if (target) add("to", target, str(span, TARGET_SPAN), span.spanId);
    } else {
      if (target === traceId) add("from", span.traceId, span.spanId, str(span, TARGET_SPAN));
      if (source === traceId) add("to", span.traceId, span.spanId, str(span, SOURCE_SPAN));
    }
  }
  return [...links.values()];
}
