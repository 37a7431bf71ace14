import { Buffer } from "node:buffer";
import { normalizeMaxBytes } from "./limits.js";
import { escapedPrefix } from "./utf8.js";

/**
 * Replaces an oversized text by a JSON string holding its beginning and a
 * visible marker: `"<start of text>…[truncated N bytes]"`, where N counts the
 * UTF-8 bytes dropped. `exact: false` means `totalBytes` is only what was
 * produced before the walk stopped, so N is a lower bound, written `N+`.
 * The result is valid JSON of at most `maxBytes` UTF-8 bytes.
 */
export function truncateToJsonString(text: string, totalBytes: number, exact: boolean, maxBytes: number): string {
  const suffix = exact ? " bytes]" : "+ bytes]";
  // The marker's length depends on N, itself known only after cutting:
  // reserve room for the widest N (all of the text) and accept a few bytes
  // of slack.
  const widest = Buffer.byteLength(`…[truncated ${totalBytes}${suffix}`);
  const kept = escapedPrefix(text, Math.max(0, maxBytes - 2 - widest));
  return JSON.stringify(`${text.slice(0, kept.end)}…[truncated ${totalBytes - kept.bytes}${suffix}`);
}

/**
 * Applies the size cap to an already-serialized string (the default
 * serializer's output or a user serializer's). A string within `maxBytes`
 * UTF-8 bytes is returned unchanged, whatever it contains; a longer one
 * becomes a JSON string with its beginning and a truncation marker (see
 * {@link truncateToJsonString}). Caps below 64 bytes are raised to 64.
 */
export function capString(s: string, maxBytes: number): string {
  const cap = normalizeMaxBytes(maxBytes);
  // UTF-8 needs at most 3 bytes per UTF-16 code unit: short strings need no count.
  if (s.length * 3 <= cap) return s;
  const bytes = Buffer.byteLength(s, "utf8");
  return bytes <= cap ? s : truncateToJsonString(s, bytes, true, cap);
}
