import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { capString } from "../serialize/index.js";

/** A request body this large is still accepted by the platform with room to spare (it refuses 10 MB). */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Bytes a span costs on the wire beyond its attributes: ids, times, field tags. */
const SPAN_OVERHEAD = 128;

const REDACTED = "[REDACTED]";

/** Rewrites attributes before export (mask, no inputs/outputs). */
export type Redact = (attributes: Attributes) => void;

/** What {@link finishStrings} enforces on every string it passes. */
export interface StringRules {
  /** Cap in UTF-8 bytes of one value, with a visible truncation marker. */
  maxBytes: number;
  /** A credential replaced wherever it appears (at least 8 characters long, else ignored). */
  secret?: string;
}

function finish(value: string, rules: StringRules): string {
  const { secret } = rules;
  const clean = secret !== undefined && value.includes(secret) ? value.split(secret).join(REDACTED) : value;
  return capString(clean, rules.maxBytes);
}

/**
 * One pass over `attributes` (also inside arrays): scrubs the secret and caps every string —
 * values set by hand bypass the serializer's cap — and returns an estimate of the encoded size.
 */
function finishStrings(attributes: Attributes, rules: StringRules): number {
  let size = 0;
  for (const key in attributes) {
    const value = attributes[key];
    size += key.length + 8;
    if (typeof value === "string") {
      const done = finish(value, rules);
      if (done !== value) attributes[key] = done;
      size += done.length;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== "string") continue;
        const done = finish(item, rules);
        if (done !== item) (value as unknown[])[i] = done;
        size += done.length;
      }
    }
  }
  return size;
}

/**
 * Readies an ended span for export, in place — the privacy rewrite, then the cap and secret scrub
 * of its attributes, its events' (an exception message too) and its status message — and returns
 * an estimate of its encoded size.
 */
export function finishSpan(span: ReadableSpan, rules: StringRules, redact: Redact | undefined): number {
  let size = SPAN_OVERHEAD + span.name.length + finishAttributes(span.attributes as Attributes, rules, redact);
  const { events } = span;
  for (let i = 0; i < events.length; i++) {
    const attributes = events[i].attributes;
    if (attributes) size += finishAttributes(attributes as Attributes, rules, redact);
  }
  const status = span.status as { message?: string };
  if (status.message) {
    const holder: Attributes = { "otel.status_description": status.message };
    size += finishAttributes(holder, rules, redact);
    status.message = holder["otel.status_description"] as string | undefined;
  }
  return size;
}

function finishAttributes(attributes: Attributes, rules: StringRules, redact: Redact | undefined): number {
  redact?.(attributes);
  return finishStrings(attributes, rules);
}
