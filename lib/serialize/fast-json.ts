import { Buffer } from "node:buffer";
import { MAX_DEPTH } from "./limits.js";

/**
 * JSON for the common case of primitive inputs and outputs, written directly: byte-for-byte what
 * the default serializer writes for them, without building an object and walking it. Each
 * function returns undefined when the value needs the full serializer (objects, non-finite
 * numbers, long strings that may need the cap).
 */

/** `maxChars` keeps the result far enough under the byte cap that it never needs capping. */
function primitive(value: unknown, maxChars: number): string | undefined {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? String(value) : undefined;
    case "string":
      return value.length <= maxChars ? JSON.stringify(value) : undefined;
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "null";
    case "object":
      return value === null ? "null" : undefined;
    default:
      return undefined;
  }
}

/** A return value as JSON, or undefined. */
export function primitiveJson(value: unknown, maxBytes: number): string | undefined {
  return primitive(value, maxBytes / 6);
}

/**
 * `{ name: argument, … }` as JSON, from each parameter's pre-encoded `"name":` key, or undefined.
 * Undefined arguments are left out, as the serializer leaves out undefined fields. Keys are written in
 * the given order, so integer names (which an object puts first) must not be passed.
 */
export function primitiveInputJson(keys: readonly string[], args: ArrayLike<unknown>, maxBytes: number): string | undefined {
  if (args.length > keys.length) return undefined;
  const budget = maxBytes / 6;
  let out = "{";
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    if (value === undefined) continue;
    const json = primitive(value, budget);
    if (json === undefined) return undefined;
    out += out.length === 1 ? keys[i] + json : "," + keys[i] + json;
    if (out.length > budget) return undefined;
  }
  return out + "}";
}

/**
 * What is left of `budget` (UTF-16 units) after the strings, keys and elements of `value`, or -1 when
 * `value` is not plain JSON data that `JSON.stringify` writes exactly as the default serializer
 * does: strings, finite numbers, booleans, null, undefined inside containers (left out of
 * objects, `null` in arrays, by both), arrays and plain or null-prototype objects without a
 * `toJSON`, nested less than {@link MAX_DEPTH} deep. -1 as well once these alone outgrow the
 * budget: the output would need the cap.
 */
function plainBudget(value: unknown, depth: number, budget: number): number {
  switch (typeof value) {
    case "string":
      return budget - value.length;
    case "number":
      return Number.isFinite(value) ? budget : -1;
    case "boolean":
    case "undefined":
      return budget;
    case "object":
      break;
    default:
      return -1;
  }
  if (value === null) return budget;
  if (depth >= MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === "function") return -1;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return -1;
    // one unit per element at least (a hole writes `null`): a sparse giant is refused early
    for (let i = 0; i < value.length && budget >= 0; i++) budget = plainBudget(value[i], depth + 1, budget - 1);
    return budget;
  }
  if (proto !== Object.prototype && proto !== null) return -1;
  // for-in allocates no key array; with Object.prototype (or null) as the prototype it can add only
  // keys someone made enumerable there, which JSON.stringify leaves out: they only lower the budget
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (budget < 0) break;
    budget = plainBudget(record[key], depth + 1, budget - key.length);
  }
  return budget;
}

/**
 * An object or array of plain JSON data (a request body, a provider's parsed response) as JSON
 * within `maxBytes`, written natively by `JSON.stringify`: byte-for-byte what the default
 * serializer writes for it, as one flat string. Undefined when the value needs the full
 * serializer (anything else, a getter or Proxy trap that throws, output over the cap).
 */
export function plainObjectJson(value: object, maxBytes: number): string | undefined {
  try {
    if (plainBudget(value, 0, maxBytes) < 0) return undefined;
    const json = JSON.stringify(value);
    if (typeof json !== "string") return undefined;
    return json.length * 3 <= maxBytes || Buffer.byteLength(json, "utf8") <= maxBytes ? json : undefined;
  } catch {
    return undefined;
  }
}
