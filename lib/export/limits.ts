import type { Attributes } from "@opentelemetry/api";
import { capString } from "../serialize/index.js";

/** A request body this large is still accepted by the platform with room to spare (it refuses 10 MB). */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Bytes a span costs on the wire beyond its strings: ids, times, field tags. */
const SPAN_OVERHEAD = 128;

/**
 * Caps every string value of `attributes` (also inside arrays) to `maxBytes` with a visible
 * truncation marker — primitives set by hand bypass the serializer's cap — and returns an
 * estimate of their encoded size.
 */
export function capAttributes(attributes: Attributes, maxBytes: number): number {
  let size = 0;
  for (const key in attributes) {
    const value = attributes[key];
    size += key.length + 8;
    if (typeof value === "string") {
      const capped = capString(value, maxBytes);
      if (capped !== value) attributes[key] = capped;
      size += capped.length;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== "string") continue;
        const capped = capString(item, maxBytes);
        if (capped !== item) (value as unknown[])[i] = capped;
        size += capped.length;
      }
    }
  }
  return size;
}

/** The part of a span's encoded size that is not its attributes. */
export function spanOverhead(name: string): number {
  return SPAN_OVERHEAD + name.length;
}
