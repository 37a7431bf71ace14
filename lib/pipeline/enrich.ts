import { propagation, type Context } from "@opentelemetry/api";
import type { Span } from "../otel/sdk.js";
import { inheritPropagated } from "../context/propagated.js";
import { trustedEntries } from "../context/trusted-baggage.js";

/**
 * Start-time enrichment: what a new span takes from the context it starts in — the baggage
 * entries that cross the trust boundary (identity keys and declared keys, a few short ones),
 * then the propagated attributes set in this process, which win.
 */
export function enrichAtStart(span: Span, parentContext: Context): void {
  const baggage = propagation.getBaggage(parentContext);
  if (baggage) for (const [key, value] of trustedEntries(baggage)) span.setAttribute(key, value);
  inheritPropagated(span, parentContext);
}
