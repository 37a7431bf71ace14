/** Default cap, in UTF-8 bytes, of one serialized span attribute (64 KiB). */
export const DEFAULT_MAX_ATTRIBUTE_BYTES = 65536;

/**
 * Smallest cap honoured. Below it a truncated value could not show its
 * truncation marker, so smaller requests are raised to this.
 */
const MIN_MAX_BYTES = 64;

/** Nesting depth past which values are replaced by a marker, so hostile or
 * generated structures cannot exhaust the call stack. */
export const MAX_DEPTH = 64;

/** Turns a user-supplied cap into a usable one: default when absent or not a
 * number, never below {@link MIN_MAX_BYTES}, always an integer. */
export function normalizeMaxBytes(maxBytes: number | undefined): number {
  if (typeof maxBytes !== "number" || Number.isNaN(maxBytes)) return DEFAULT_MAX_ATTRIBUTE_BYTES;
  if (maxBytes === Infinity) return Number.MAX_SAFE_INTEGER;
  return Math.max(MIN_MAX_BYTES, Math.floor(maxBytes));
}
