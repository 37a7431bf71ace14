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
 * Undefined arguments are left out, as the serializer leaves out undefined fields.
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
