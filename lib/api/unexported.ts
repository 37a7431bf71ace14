import { Buffer } from "node:buffer";
import { isSpanContextValid, TraceFlags, type Span, type SpanContext } from "@opentelemetry/api";

/**
 * Random hex digits, made 4 KiB of random bytes at a time and handed out in slices: an id costs a
 * slice rather than a random call per byte and a string build.
 */
const POOL_BYTES = 4096;
const ZERO = { 16: "0".repeat(16), 32: "0".repeat(32) };
const bytes = Buffer.allocUnsafe(POOL_BYTES);
let pool = "";
let at = 0;

function randomHex(digits: 16 | 32): string {
  if (at + digits > pool.length) {
    // Web Crypto: the same source on Node and in the edge runtimes
    globalThis.crypto.getRandomValues(bytes);
    pool = bytes.toString("hex");
    at = 0;
  }
  const id = pool.slice(at, at + digits);
  at += digits;
  // an all-zero id is invalid (one chance in 2^64 or less)
  return id === ZERO[digits] ? randomHex(digits) : id;
}

/** The parent's span context when it is a valid one to continue; a foreign span is read defensively. */
function continuable(parent: Span): SpanContext | undefined {
  if (parent instanceof UnexportedSpan) return parent.spanContext();
  try {
    const up = parent.spanContext();
    return isSpanContextValid(up) ? up : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A span nobody records, for a tracer with nowhere to send spans: real ids (a child keeps its
 * parent's trace id, trace flags and tracestate), so the current span, nesting and
 * inject/extract behave as with export on. The ids are made when first read — most such spans
 * are never asked — and nothing else is kept: attributes, events and status are dropped.
 */
export class UnexportedSpan implements Span {
  private context: SpanContext | undefined;

  /** `parent`: the span it continues (undefined: it starts a new trace). */
  constructor(private parent: Span | undefined) {}

  spanContext(): SpanContext {
    if (this.context === undefined) {
      const up = this.parent && continuable(this.parent);
      this.parent = undefined;
      this.context = up
        ? { traceId: up.traceId, spanId: randomHex(16), traceFlags: up.traceFlags, traceState: up.traceState }
        : { traceId: randomHex(32), spanId: randomHex(16), traceFlags: TraceFlags.SAMPLED };
    }
    return this.context;
  }

  setAttribute(): this {
    return this;
  }

  setAttributes(): this {
    return this;
  }

  addEvent(): this {
    return this;
  }

  addLink(): this {
    return this;
  }

  addLinks(): this {
    return this;
  }

  setStatus(): this {
    return this;
  }

  updateName(): this {
    return this;
  }

  end(): void {}

  isRecording(): boolean {
    return false;
  }

  recordException(): void {}
}

/**
 * Whether a linked trace may start from `span`: a span of this process (recorded, or unexported),
 * not a remote parent.
 */
export function isLocal(span: Span | undefined): span is Span {
  return span !== undefined && (span instanceof UnexportedSpan || span.isRecording());
}
