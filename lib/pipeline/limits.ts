import type { Attributes } from "@opentelemetry/api";
import { capString } from "../serialize/index.js";

/** A request body this large is still accepted by the platform with room to spare (it refuses 10 MB). */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Bytes a span costs on the wire beyond its attributes: ids, times, field tags. */
const SPAN_OVERHEAD = 128;

const REDACTED = "[REDACTED]";

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
export function finishStrings(attributes: Attributes, rules: StringRules): number {
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

/** The part of a span's encoded size that is not its attributes. */
export function spanOverhead(name: string): number {
  return SPAN_OVERHEAD + name.length;
}
