import { propagation, trace, type Context } from "@opentelemetry/api";
import { extract } from "../propagation/propagation.js";
import { readOptions } from "./arguments.js";

/**
 * How much of an incoming carrier to believe. The same options, read the same way, apply to every
 * way a trace comes in: HTTP headers (`continueTrace`), an MCP request's `_meta`
 * (`traceMCPServer`), and any carrier added later.
 */
export interface IncomingTrust {
  /**
   * Take nothing from the carrier's `baggage` (default false): no session, customer or user id,
   * no declared propagating key. For endpoints anyone can call, whose callers could otherwise
   * claim another customer's ids.
   */
  ignoreBaggage?: boolean;
  /**
   * Do not join the caller's trace (default false): spans start a trace of their own, whatever
   * `traceparent` says. For endpoints where the caller must not choose which trace your spans
   * join.
   */
  ignoreTraceContext?: boolean;
}

const TRUST_KEYS = ["ignoreBaggage", "ignoreTraceContext"] as const;

/** `options` read once and defensively (see {@link readOptions}): only `true` turns an option on. */
export function readTrust(options: unknown, where: string): Required<IncomingTrust> {
  const given = readOptions(options, TRUST_KEYS, where);
  return { ignoreBaggage: given.ignoreBaggage === true, ignoreTraceContext: given.ignoreTraceContext === true };
}

/**
 * The one extraction every carrier goes through: the context `carrier` describes, on top of the
 * current one, with what `trust` ignores taken out. Incoming baggage is then filtered once more
 * where spans read it (only the identity keys and the declared propagating keys become
 * attributes). Without valid trace context the result has no parent span. Never throws: a
 * carrier whose reads throw reads as empty.
 */
export function incomingContext(carrier: unknown, trust: Required<IncomingTrust>): Context {
  let ctx = extract(carrier as never);
  if (trust.ignoreTraceContext) ctx = trace.deleteSpan(ctx);
  if (trust.ignoreBaggage) ctx = propagation.deleteBaggage(ctx);
  return ctx;
}
