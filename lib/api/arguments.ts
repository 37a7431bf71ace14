import { log } from "../diag/log.js";

/**
 * Reading the public API's arguments without trusting them: a Proxy whose traps throw, a string
 * where an object belongs, a typed array of millions of elements. Each helper returns a usable
 * value in bounded time and never throws.
 */

/** Name of a span given something that is not a string. */
const UNNAMED = "unnamed";

/** A span name from any value: strings as they are, numbers and the like as text, the rest {@link UNNAMED}. */
export function nameOf(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    default:
      return UNNAMED;
  }
}

/**
 * Whether `value` is an object whose own keys are worth walking: not a string (boxed or not),
 * an array, a typed array or buffer, whose "keys" would be its characters or elements.
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  try {
    return !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !(value instanceof String);
  } catch {
    return false; // a revoked Proxy
  }
}

/**
 * A copy of an options object's fields of interest, read once, each guarded: a field whose
 * getter throws reads as absent. Anything but a record gives `{}`.
 */
export function readOptions<K extends string>(value: unknown, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  if (!isRecord(value)) return out;
  for (const key of keys) {
    try {
      const field = value[key];
      if (field !== undefined) out[key] = field;
    } catch {
      // absent
    }
  }
  return out;
}

/**
 * The own enumerable entries of a record, at most `max` of them; `[]` for anything else or when
 * listing the keys throws (a hostile Proxy). A getter that throws skips its entry.
 */
export function entriesOf(value: unknown, max: number): Array<[string, unknown]> {
  if (!isRecord(value)) return [];
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return [];
  }
  const out: Array<[string, unknown]> = [];
  for (let i = 0; i < keys.length && out.length < max; i++) {
    try {
      out.push([keys[i], value[keys[i]]]);
    } catch {
      // skipped
    }
  }
  return out;
}

/** Whether `fn` can be called; warns once per entry point when it cannot (the call is then a no-op). */
export function isCallable(fn: unknown, where: string): fn is (...args: never[]) => unknown {
  if (typeof fn === "function") return true;
  log.warnOnce(`not-a-function:${where}`, `${where} was given ${typeof fn} instead of a function; nothing was run.`);
  return false;
}
