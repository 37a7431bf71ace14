import { context, propagation as otelPropagation, trace, type Context } from "@opentelemetry/api";
import { CompositePropagator } from "@opentelemetry/core";
import { effectivePropagated } from "../context/propagated.js";
import { trustedEntries } from "../context/trustedBaggage.js";
import { carrierGetter, carrierSetter, type Carrier } from "./carrier.js";
import { BaggagePropagator, TraceContextPropagator } from "./w3c.js";

/** W3C Trace Context and W3C Baggage, the formats of WIRE.md "Propagation", by the current specs. */
export const w3cPropagator = new CompositePropagator({
  propagators: [new TraceContextPropagator(), new BaggagePropagator()],
});

/**
 * The current context with the baggage to forward: the entries of its baggage that cross the
 * trust boundary (whatever came in with a request and was not trusted stops here), then the
 * attributes propagated in this process.
 */
function withPropagatedBaggage(ctx: Context): Context {
  const values = effectivePropagated(ctx);
  const incoming = otelPropagation.getBaggage(ctx);
  if (values === undefined && incoming === undefined) return ctx;
  let baggage = otelPropagation.createBaggage(Object.fromEntries(trustedEntries(incoming).map(([key, value]) => [key, { value }])));
  for (const key in values) baggage = baggage.setEntry(key, { value: values[key] });
  return otelPropagation.setBaggage(ctx, baggage);
}

/**
 * Writes `traceparent`, `tracestate` and `baggage` for the current context into `carrier`
 * (a plain object or a fetch `Headers`). Never throws.
 */
function inject(carrier: Carrier): void {
  try {
    w3cPropagator.inject(withPropagatedBaggage(context.active()), carrier, carrierSetter);
  } catch {
    // a frozen or exotic carrier just gets no headers
  }
}

/**
 * The context described by `carrier`'s W3C headers, on top of the current one. Without valid
 * trace context the result has no parent span, so spans started in it begin a fresh trace.
 * Never throws.
 */
export function extract(carrier: Carrier): Context {
  const base = otelPropagation.deleteBaggage(trace.deleteSpan(context.active()));
  try {
    return w3cPropagator.extract(base, carrier, carrierGetter);
  } catch {
    return base;
  }
}

/** `inject` and `extract` of W3C trace context and baggage. */
export const propagation = { inject, extract };
