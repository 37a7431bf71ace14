import { type Context } from "@opentelemetry/api";
import { incomingContext } from "../../api/incoming.js";
import type { IncomingTrust } from "../../api/incoming.js";
import { propagation } from "../../propagation/propagation.js";
import { record } from "../../llm/read.js";

/**
 * Trace context travels in a request's `params._meta` under the W3C keys, unprefixed — the
 * MCP specification's convention for OpenTelemetry (SEP-414). `_meta` is read as any other
 * incoming carrier is: the same extraction, limits and trust options as HTTP headers.
 */

/**
 * `meta` plus the current context's trace context; the caller's own keys are kept beside it. A
 * `meta` that cannot be copied (a throwing getter or Proxy trap) is returned as it is.
 */
export function metaWithTraceContext(meta: unknown): unknown {
  const carrier: Record<string, string> = {};
  propagation.inject(carrier);
  try {
    return { ...record(meta), ...carrier };
  } catch {
    return meta;
  }
}

/** The context a request's `_meta` describes, as `continueTrace` would give for headers. Never throws. */
export function contextFromMeta(meta: unknown, trust: Required<IncomingTrust>): Context {
  return incomingContext(meta, trust);
}
