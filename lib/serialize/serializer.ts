import { Buffer } from "node:buffer";
import { capString, truncateToJsonString } from "./cap.js";
import { plainObjectJson } from "./fast-json.js";
import { normalizeMaxBytes } from "./limits.js";
import { unserializable } from "./markers.js";
import { quote } from "./utf8.js";
import { JsonWriter } from "./writer.js";

/** Turns any value into a JSON string for a span attribute. Never throws. */
export type Serializer = (value: unknown) => string;

/** Options of {@link createSerializer}. */
export interface SerializerOptions {
  /** cap in bytes of UTF-8 per attribute; default 65536 (values below 64 are raised to 64) */
  maxBytes?: number;
}

/** A lone string is cut as itself, so a long prompt or completion reads
 * `"<start of it>…[truncated N bytes]"` rather than as escaped JSON text. */
function stringJson(s: string, maxBytes: number): string {
  // Escaping takes at most 6 bytes per code unit (`\u001f`), and at least 1.
  if (s.length * 6 + 2 <= maxBytes) return quote(s);
  if (s.length + 2 <= maxBytes) {
    const json = quote(s);
    if (Buffer.byteLength(json, "utf8") <= maxBytes) return json;
  }
  return truncateToJsonString(s, Buffer.byteLength(s, "utf8"), true, maxBytes);
}

/**
 * Creates the default serializer: readable JSON (not superjson's
 * `{json, meta}` envelope), always valid, never over `maxBytes` UTF-8 bytes.
 *
 * Mapping:
 * - strings, finite numbers, booleans, null as themselves; NaN, Infinity and
 *   -Infinity as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`;
 * - BigInt as a decimal string (`123n` → `"123"`), symbol as `"Symbol(desc)"`,
 *   function as `"[Function name]"`;
 * - undefined: `null` at the top level and in arrays, omitted in objects and
 *   string-keyed Maps (as JSON.stringify does);
 * - Date as its ISO string (`"Invalid Date"` when invalid), RegExp as
 *   `"/src/flags"`, boxed primitives as their primitive;
 * - Error as `{name, message, stack, cause, errors, …own enumerable props}`
 *   (absent ones omitted);
 * - Map as an object when every key is a string, else an array of
 *   `[key, value]` pairs; Set as an array;
 * - typed arrays, Buffer, DataView and ArrayBuffer as arrays of numbers
 *   (bytes for the untyped ones), bounded like any array by the size cap;
 * - other objects: a type registered with superjson's `registerCustom` through
 *   its transformer; else `toJSON()` when present (URL → href, Decimal, …);
 *   else their own enumerable fields, preceded by `"__class": "Name"` for
 *   class instances (plain and null-prototype objects get none);
 * - a reference to an enclosing object as `"[Circular]"`, nesting deeper than
 *   64 as `"[Max depth]"`, a getter, Proxy trap, toJSON or transformer that
 *   throws as `"[Unserializable: <message>]"` in place of that value.
 *
 * Output over the cap becomes a JSON string holding the beginning of the JSON
 * text and a marker: `"{\"a\":\"xx…[truncated 1234+ bytes]"` (`+`: the walk
 * stopped early, so 1234 is a lower bound). A top-level string is cut as
 * itself: `"Once upon a time…[truncated 1234 bytes]"`. Walking stops as soon
 * as the cap is certainly exceeded.
 */
export function createSerializer(options?: SerializerOptions): Serializer {
  const maxBytes = normalizeMaxBytes(options?.maxBytes);
  return (value: unknown): string => {
    try {
      if (typeof value === "string") return stringJson(value, maxBytes);
      // Plain data (the common case: request bodies, parsed responses) is written natively.
      if (typeof value === "object" && value !== null) return plainObjectJson(value, maxBytes) ?? walk(value, maxBytes);
      return walk(value, maxBytes);
    } catch {
      // Reachable only when the engine itself fails (stack or memory
      // exhausted by the caller): answer without calling anything.
      return FAILED;
    }
  };
}

const FAILED = '"[Unserializable]"';

function walk(value: unknown, maxBytes: number): string {
  const writer = new JsonWriter(maxBytes);
  try {
    writer.value(value);
  } catch (error) {
    // The top-level value itself failed (e.g. a revoked Proxy); nested
    // failures were already replaced by markers.
    return capString(unserializable(error), maxBytes);
  }
  const text = writer.out;
  // UTF-8 needs at most 3 bytes per UTF-16 code unit: short output needs no count.
  if (!writer.full && text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.byteLength(text, "utf8");
  if (!writer.full && bytes <= maxBytes) return text;
  return truncateToJsonString(text, bytes, !writer.full, maxBytes);
}

/** The default serializer, {@link createSerializer} with default options. */
export const safeSerialize: Serializer = createSerializer();
