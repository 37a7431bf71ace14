import { context, propagation as otelPropagation, trace, type Context, type TextMapPropagator } from "@opentelemetry/api";
import { effectivePropagated } from "../context/propagated.js";
import { forwardableBaggage } from "../context/trusted-baggage.js";
import { lazy } from "../diag/lazy.js";
import type * as Carriers from "./carrier.js";
import type { Carrier } from "./carrier.js";
import type * as W3c from "./w3c.js";

// The header parsers and writers load when a trace is first continued or injected.
const headers = lazy("W3C trace context propagation", () => {
  const { w3cPropagator } = require("./w3c.js") as typeof W3c;
  const { carrierGetter, carrierSetter } = require("./carrier.js") as typeof Carriers;
  return { propagator: forwarding(w3cPropagator), getter: carrierGetter, setter: carrierSetter };
});

/**
 * W3C Trace Context and W3C Baggage, the formats of docs/wire.md, "Propagation", writing the baggage
 * judgeval forwards (undefined if it failed to load). `registerGlobal` installs it, so an
 * instrumented request carries the same headers as `propagation.inject`.
 */
export function w3cPropagator(): TextMapPropagator | undefined {
  return headers()?.propagator;
}

/**
 * `ctx` with the baggage to forward: the app's baggage as it is, of the `judgment.*` keys only
 * those that cross the trust boundary, then the attributes propagated in this process.
 */
function withPropagatedBaggage(ctx: Context): Context {
  const values = effectivePropagated(ctx);
  const incoming = otelPropagation.getBaggage(ctx);
  if (values === undefined && incoming === undefined) return ctx;
  let baggage = incoming === undefined ? otelPropagation.createBaggage() : forwardableBaggage(incoming);
  for (const key in values) baggage = baggage.setEntry(key, { value: values[key] });
  return otelPropagation.setBaggage(ctx, baggage);
}

/** `w3c`, injecting the baggage {@link withPropagatedBaggage} gives. */
function forwarding(w3c: TextMapPropagator): TextMapPropagator {
  return {
    inject: (ctx, carrier, setter) => w3c.inject(withPropagatedBaggage(ctx), carrier, setter),
    extract: (ctx, carrier, getter) => w3c.extract(ctx, carrier, getter),
    fields: () => w3c.fields(),
  };
}

/**
 * Writes `traceparent`, `tracestate` and `baggage` for the current context into `carrier`
 * (a plain object or a fetch `Headers`). Never throws.
 */
function inject(carrier: Carrier): void {
  const loaded = headers();
  if (!loaded) return;
  try {
    loaded.propagator.inject(context.active(), carrier, loaded.setter);
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
  const loaded = headers();
  if (!loaded) return base;
  try {
    return loaded.propagator.extract(base, carrier, loaded.getter);
  } catch {
    return base;
  }
}

/** `inject` and `extract` of W3C trace context and baggage. */
export const propagation = { inject, extract };
