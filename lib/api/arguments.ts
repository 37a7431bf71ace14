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
 * an array, a typed array or buffer, whose "keys" would be its characters or elements. A Proxy
 * whose traps throw even for that is `"unreadable"`.
 */
function recordKind(value: unknown): "record" | "other" | "unreadable" {
  if (typeof value !== "object" || value === null) return "other";
  try {
    return !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !(value instanceof String)
      ? "record"
      : "other";
  } catch {
    return "unreadable";
  }
}

/**
 * A copy of an options object's fields of interest, read once, each guarded: a field whose
 * getter throws reads as absent, with one warning per entry point `where`. Anything but a record
 * gives `{}`.
 */
export function readOptions<K extends string>(value: unknown, keys: readonly K[], where?: string): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  const kind = recordKind(value);
  if (kind !== "record") {
    if (kind === "unreadable") warnUnreadable(where);
    return out;
  }
  const options = value as Record<string, unknown>;
  for (const key of keys) {
    try {
      const field = options[key];
      if (field !== undefined) out[key] = field;
    } catch {
      warnUnreadable(where);
    }
  }
  return out;
}

function warnUnreadable(where: string | undefined): void {
  if (where === undefined) return;
  log.warnOnce(
    `options:${where}`,
    `${where}: its options could not be read (a getter or Proxy trap threw); ran with the defaults of those options.`,
  );
}

/**
 * The callback and the options of a `(…, fn)` / `(…, options, fn)` entry point. A function in the
 * options position while another follows it is not options: it is left out with one warning.
 */
export function callbackAndOptions<F>(second: unknown, third: unknown, where: string): { fn: F | undefined; options: unknown } {
  if (typeof third === "function") {
    if (typeof second === "function")
      log.warnOnce(`options-function:${where}`, `${where}: options must be an object, got a function; ran with the defaults.`);
    return { fn: third as F, options: typeof second === "function" ? undefined : second };
  }
  return { fn: typeof second === "function" ? (second as F) : (third as F | undefined), options: undefined };
}

/**
 * The own enumerable entries of a record, at most `max` of them; `[]` for anything else or when
 * listing the keys throws (a hostile Proxy). A getter that throws skips its entry. Either warns
 * once per entry point `where`.
 */
export function entriesOf(value: unknown, max: number, where?: string): Array<[string, unknown]> {
  const kind = recordKind(value);
  if (kind !== "record") {
    if (kind === "unreadable") warnUnreadable(where);
    return [];
  }
  const record = value as Record<string, unknown>;
  let keys: string[];
  try {
    keys = Object.keys(record);
  } catch {
    warnUnreadable(where);
    return [];
  }
  const out: Array<[string, unknown]> = [];
  for (let i = 0; i < keys.length && out.length < max; i++) {
    try {
      out.push([keys[i], record[keys[i]]]);
    } catch {
      warnUnreadable(where);
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
