import { propagation, type Context } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/sdk-trace";
import { inheritPropagated } from "../context/propagated.js";

/** Start-time enrichment: what a new span takes from the context it starts in. */
export function enrichAtStart(span: Span, parentContext: Context): void {
  const baggage = propagation.getBaggage(parentContext);
  if (baggage) for (const [key, entry] of baggage.getAllEntries()) span.setAttribute(key, entry.value);
  inheritPropagated(span, parentContext);
}
