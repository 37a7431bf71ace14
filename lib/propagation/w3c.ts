import {
  createContextKey,
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from "@opentelemetry/api";
import { CompositePropagator, isTracingSuppressed } from "../otel/sdk.js";
import { parseBaggage, serializeBaggage } from "./baggage.js";
import { formatTraceParent, parseTraceParent, RANDOM_TRACE_ID_FLAG } from "./trace-parent.js";
import { parseTraceState } from "./trace-state.js";

const TRACEPARENT = "traceparent";
const TRACESTATE = "tracestate";
const BAGGAGE = "baggage";

/**
 * The trace id an upstream marked random (flag 02). Spans the SDK starts under it carry only the
 * sampled flag, so the mark rides on the context and is added back when the trace is continued.
 */
const RANDOM_TRACE = createContextKey("judgeval.randomTraceId");

/** One string from a getter that may hand back a string or a list of them (repeats joined by ","). */
function read(getter: TextMapGetter<unknown>, carrier: unknown, key: string, joinRepeats: boolean): string | undefined {
  const value = getter.get(carrier, key);
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return undefined;
  if (joinRepeats) return value.join(",");
  return value.length === 1 ? value[0] : undefined;
}

/**
 * W3C Trace Context (level 2): `traceparent` of any later version read by its first four fields,
 * `tracestate` by the current key grammar and limits (a malformed header is discarded whole), and
 * the random-trace-id flag kept on the trace it was received with.
 */
export class TraceContextPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter<unknown>): void {
    const spanContext = trace.getSpanContext(ctx);
    if (!spanContext || isTracingSuppressed(ctx) || !trace.isSpanContextValid(spanContext)) return;
    const random = ctx.getValue(RANDOM_TRACE) === spanContext.traceId ? RANDOM_TRACE_ID_FLAG : 0;
    setter.set(carrier, TRACEPARENT, formatTraceParent(spanContext, random));
    const state = spanContext.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter<unknown>): Context {
    const header = read(getter, carrier, TRACEPARENT, false);
    const spanContext = header === undefined ? undefined : parseTraceParent(header);
    if (!spanContext) return ctx;
    const state = read(getter, carrier, TRACESTATE, true);
    if (state !== undefined) spanContext.traceState = parseTraceState(state);
    const marked = spanContext.traceFlags & RANDOM_TRACE_ID_FLAG ? ctx.setValue(RANDOM_TRACE, spanContext.traceId) : ctx;
    return trace.setSpanContext(marked, spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

/** W3C Baggage with the spec's limits: a single member may use the whole 8192 bytes. */
export class BaggagePropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter<unknown>): void {
    const baggage = propagation.getBaggage(ctx);
    if (!baggage || isTracingSuppressed(ctx)) return;
    const header = serializeBaggage(baggage);
    if (header !== "") setter.set(carrier, BAGGAGE, header);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter<unknown>): Context {
    const header = read(getter, carrier, BAGGAGE, true);
    const baggage = header === undefined ? undefined : parseBaggage(header);
    return baggage ? propagation.setBaggage(ctx, baggage) : ctx;
  }

  fields(): string[] {
    return [BAGGAGE];
  }
}

/** W3C Trace Context and W3C Baggage, the formats of docs/wire.md, "Propagation", by the current specs. */
export const w3cPropagator: TextMapPropagator = new CompositePropagator({
  propagators: [new TraceContextPropagator(), new BaggagePropagator()],
});
