import { SuperJSON } from "superjson";

/**
 * Whether a superjson custom transformer (`registerCustom`: Decimal, ObjectId, …) applies to
 * `value`, asked through superjson's public `serialize` on an empty object of the same class, so
 * that the question costs nothing however large `value` is. A transformer that decides by the
 * instance's own fields rather than its class is not seen; the value then reads as its fields.
 */
function hasCustomTransformer(value: object): boolean {
  let annotation: unknown;
  try {
    annotation = SuperJSON.serialize(Object.create(Object.getPrototypeOf(value) as object | null)).meta?.values;
  } catch {
    return false; // a class whose getters check their receiver (URL, …): not a custom type
  }
  return Array.isArray(annotation) && Array.isArray(annotation[0]) && annotation[0][0] === "custom";
}

/** Returned by {@link customSerialize} when no transformer applies. */
export const NOT_CUSTOM: unique symbol = Symbol("not custom");

/** The JSON-ready form of `value` from a superjson custom transformer
 * registered for it, or {@link NOT_CUSTOM}. May throw (user code). */
export function customSerialize(value: object): unknown {
  return hasCustomTransformer(value) ? SuperJSON.serialize(value).json : NOT_CUSTOM;
}
