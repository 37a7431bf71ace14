import { context, type Context } from "@opentelemetry/api";
import { setPropagated, withScope } from "../context/propagated.js";
import type { Carrier } from "../propagation/carrier.js";
import { log } from "../diag/log.js";
import { safely } from "./annotate.js";
import { callbackAndOptions, entriesOf, isCallable, readOptions } from "./arguments.js";
import { incomingContext, readTrust, type IncomingTrust } from "./incoming.js";
import { Keys } from "../wire/keys.js";

function propagate(key: string, value: unknown): void {
  safely((span) => typeof value === "string" && setPropagated(span, key, value));
}

/** Tags the current span, its later descendants and downstream services with a customer id. */
export function setCustomerId(customerId: string): void {
  propagate(Keys.customerId, customerId);
}

/** Like {@link setCustomerId}, for the customer's user id. */
export function setCustomerUserId(customerUserId: string): void {
  propagate(Keys.customerUserId, customerUserId);
}

/** Like {@link setCustomerId}, for a conversation session id. */
export function setSessionId(sessionId: string): void {
  propagate(Keys.sessionId, sessionId);
}

function isReserved(key: string): boolean {
  if (!key.startsWith("judgment.")) return false;
  log.warnOnce(`reserved:${key}`, `"${key}" was not propagated: keys starting with "judgment." are reserved.`);
  return true;
}

/** Propagates a custom attribute like {@link setSessionId}; keys starting `judgment.` are refused. */
export function setPropagatingAttribute(key: string, value: string): void {
  if (typeof key === "string" && !isReserved(key)) propagate(key, value);
}

/** Custom attributes of one {@link scopedContext} taken at most. */
const MAX_SCOPED_ATTRIBUTES = 128;

/** Values applied by {@link scopedContext}. */
export interface ScopedValues {
  sessionId?: string;
  customerId?: string;
  customerUserId?: string;
  /** Custom propagated attributes (no `judgment.` keys). */
  attributes?: Record<string, string>;
}

/**
 * Runs `fn` so that every span started inside it (and every service it calls with injected
 * headers) carries these values; the outer values apply again when `fn` returns or throws.
 */
export function scopedContext<R>(values: ScopedValues, fn: () => R): R {
  if (!isCallable(fn, "scopedContext")) return undefined as R;
  let ctx: Context;
  try {
    const given = readOptions(values, ["sessionId", "customerId", "customerUserId", "attributes"], "scopedContext");
    const entries: Record<string, string> = {};
    const put = (key: string, value: unknown) => typeof value === "string" && (entries[key] = value);
    put(Keys.sessionId, given.sessionId);
    put(Keys.customerId, given.customerId);
    put(Keys.customerUserId, given.customerUserId);
    for (const [key, value] of entriesOf(given.attributes, MAX_SCOPED_ATTRIBUTES, "scopedContext")) if (!isReserved(key)) put(key, value);
    ctx = withScope(context.active(), entries);
  } catch {
    return fn();
  }
  return context.with(ctx, fn);
}

/** Options of {@link continueTrace}: the trust rule every incoming carrier shares. */
export type ContinueTraceOptions = IncomingTrust;

/**
 * Joins the trace of an upstream service: runs `fn(ctx)` in the context extracted from
 * `carrier` (e.g. `req.headers`). Spans started inside are children of the upstream span; a
 * carrier without valid trace context starts a fresh trace. Incoming baggage is untrusted: only
 * the identity keys (session, customer, customer user id) and the keys declared in the tracer's
 * `propagatingKeys` become span attributes, a few short values at most. `propagation.inject`
 * forwards the app's baggage whole, as W3C Baggage says, and no other `judgment.*` key.
 * `options` ignore the carrier's baggage or trace context altogether (public endpoints).
 */
export function continueTrace<R>(carrier: Carrier, fn: (ctx: Context) => R): R;
export function continueTrace<R>(carrier: Carrier, options: ContinueTraceOptions, fn: (ctx: Context) => R): R;
export function continueTrace<R>(carrier: Carrier, second: ContinueTraceOptions | ((ctx: Context) => R), third?: (ctx: Context) => R): R {
  const { fn, options } = callbackAndOptions<(ctx: Context) => R>(second, third, "continueTrace");
  if (!isCallable(fn, "continueTrace")) return undefined as R;
  let ctx: Context;
  try {
    ctx = incomingContext(carrier, readTrust(options, "continueTrace"));
  } catch {
    return fn(context.active());
  }
  return context.with(ctx, fn, undefined, ctx);
}
