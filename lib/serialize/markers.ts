/**
 * The strings that stand in for values that cannot or should not be walked.
 * Each is already JSON-encoded so the writer can append it directly.
 */

/** A reference back to an object that is being serialized. */
export const CIRCULAR = '"[Circular]"';

/** A value nested deeper than MAX_DEPTH. */
export const TOO_DEEP = '"[Max depth]"';

const MAX_MESSAGE = 200;

function describeThrown(error: unknown): string {
  // The thrown value is as untrusted as the data: reading it may throw again.
  try {
    const text = error instanceof Error ? String(error.message) : String(error);
    return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
  } catch {
    return "unknown error";
  }
}

/** JSON marker for a value whose reading threw (getter, Proxy trap, …). */
export function unserializable(error: unknown): string {
  return JSON.stringify(`[Unserializable: ${describeThrown(error)}]`);
}

/** Readable label of a function, `[Function name]` (not JSON-encoded). */
export function functionLabel(fn: Function): string {
  let name: unknown;
  try {
    name = fn.name;
  } catch {
    name = undefined;
  }
  return typeof name === "string" && name !== "" ? `[Function ${name}]` : "[Function (anonymous)]";
}

/** Name of the class an object was built by, or undefined for plain objects
 * and anything whose constructor cannot be read safely. */
export function className(proto: object): string | undefined {
  try {
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    const name: unknown = typeof ctor === "function" ? ctor.name : undefined;
    return typeof name === "string" && name !== "" && name !== "Object" ? name : undefined;
  } catch {
    return undefined;
  }
}
