import { isSpanContextValid, trace, type Context } from "@opentelemetry/api";
import { extract, propagation } from "../../propagation/propagation.js";
import { record } from "../../llm/read.js";

/**
 * Trace context travels in a request's `params._meta` under the W3C keys, unprefixed — the
 * MCP specification's convention for OpenTelemetry (SEP-414).
 */
const KEYS = ["traceparent", "tracestate", "baggage"] as const;

// W3C limits: a traceparent is 55 characters, tracestate at most 32 members, baggage 8192 bytes.
const MAX_LENGTH = { traceparent: 128, tracestate: 512, baggage: 8192 } as const;

/** `meta` plus the current context's trace context; the caller's own keys are kept beside it. */
export function metaWithTraceContext(meta: unknown): Record<string, unknown> {
  const carrier: Record<string, string> = {};
  propagation.inject(carrier);
  return { ...record(meta), ...carrier };
}

/** The context a request's `_meta` describes; without valid trace context, undefined. Never throws. */
export function contextFromMeta(meta: unknown): Context | undefined {
  const fields = record(meta);
  if (!fields) return undefined;
  const carrier: Record<string, string> = {};
  for (const key of KEYS) {
    const value = fields[key];
    if (typeof value === "string" && value.length <= MAX_LENGTH[key]) carrier[key] = value;
  }
  if (carrier.traceparent === undefined) return undefined;
  const ctx = extract(carrier);
  const parent = trace.getSpanContext(ctx);
  return parent && isSpanContextValid(parent) ? ctx : undefined;
}
