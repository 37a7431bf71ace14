import { TraceFlags, type SpanContext } from "@opentelemetry/api";

/**
 * `traceparent` of any version but `ff`: version 00 is exactly four fields; a later version may
 * append `-`-prefixed fields we don't read. Lowercase hex only; all-zero ids are invalid.
 * Surrounding optional whitespace (space, tab) is allowed.
 */
const TRACEPARENT = /^[ \t]*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^]*)?[ \t]*$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/** The W3C level-2 "random trace id" flag: the trace id's right 56 bits are random. */
export const RANDOM_TRACE_ID_FLAG = 0x02;

/** The remote span context of a `traceparent` header, or undefined when it is invalid. */
export function parseTraceParent(header: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === "ff" || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  if (version === "00" && rest !== undefined) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
}

/** The version-00 header for `ctx`; only the flags version 00 defines are written. */
export function formatTraceParent(ctx: SpanContext, extraFlags = 0): string {
  const flags = ((ctx.traceFlags & (TraceFlags.SAMPLED | RANDOM_TRACE_ID_FLAG)) | extraFlags).toString(16).padStart(2, "0");
  return `00-${ctx.traceId}-${ctx.spanId}-${flags}`;
}
