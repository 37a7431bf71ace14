import { trace, TraceFlags, type Context, type Span } from "@opentelemetry/api";

/** Scratch space for ids: four random 32-bit words at most. */
const words = Buffer.allocUnsafe(16);

/** `bytes` random bytes as lowercase hex, never all zero (an all-zero id is invalid). */
function randomHex(bytes: 8 | 16): string {
  for (;;) {
    for (let i = 0; i < bytes; i += 4) words.writeUInt32BE((Math.random() * 0x100000000) >>> 0, i);
    const hex = words.toString("hex", 0, bytes);
    if (
      words.readUInt32BE(0) !== 0 ||
      words.readUInt32BE(4) !== 0 ||
      (bytes === 16 && (words.readUInt32BE(8) !== 0 || words.readUInt32BE(12) !== 0))
    )
      return hex;
  }
}

/**
 * A span nobody records: real ids (a child keeps its parent's trace id, trace flags and
 * tracestate), so the current span, nesting and inject/extract behave as with export on, at a
 * fraction of a recorded span's cost. `@observe` uses it while its tracer has nowhere to send spans.
 */
export function startUnexportedSpan(parent: Context, root = false): Span {
  const up = root ? undefined : trace.getSpanContext(parent);
  if (up && trace.isSpanContextValid(up)) {
    return trace.wrapSpanContext({ traceId: up.traceId, spanId: randomHex(8), traceFlags: up.traceFlags, traceState: up.traceState });
  }
  return trace.wrapSpanContext({ traceId: randomHex(16), spanId: randomHex(8), traceFlags: TraceFlags.SAMPLED });
}
