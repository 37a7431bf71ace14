import { lazy } from "../diag/lazy.js";
import type * as Custom from "./custom.js";
import { MAX_DEPTH } from "./limits.js";
import { CIRCULAR, className, functionLabel, TOO_DEEP, unserializable } from "./markers.js";
import { quote, sliceUnits } from "./utf8.js";

// superjson (for the types registered with it) loads on the first class instance serialized.
const customTypes = lazy("superjson custom types", () => require("./custom.js") as typeof Custom);

// Called on the object rather than through it: brand-checked, cross-realm,
// immune to a subclass overriding them.
/* eslint-disable @typescript-eslint/unbound-method -- detached on purpose, always invoked with .call */
const builtinTag = Object.prototype.toString;
const getTime = Date.prototype.getTime;
const toISOString = Date.prototype.toISOString;
/* eslint-enable @typescript-eslint/unbound-method */

function numberJson(n: number): string {
  // JSON has no NaN/Infinity; a string keeps them visible and the output valid.
  return Number.isFinite(n) ? String(n) : `"${n}"`;
}

function errorKeys(error: Error): string[] {
  const keys = ["name", "message", "stack", "cause", "errors"];
  for (const key of Object.keys(error)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/**
 * Writes one value as JSON text into `out`, a single pass with no
 * intermediate object tree. Stops walking (sets `full`) as soon as `out` is
 * longer than `limit` code units: UTF-8 never takes fewer bytes than UTF-16
 * code units, so the byte cap is then certainly exceeded and the rest would
 * be cut anyway. Strings and keys are pre-sliced for the same reason.
 *
 * Every read of user data (property, element, entry) is guarded: if it throws,
 * the text written for it is rolled back and replaced by a marker, so `out` is
 * always well-formed JSON up to the point where the walk stopped.
 */
export class JsonWriter {
  out = "";
  /** True when the walk was abandoned because the output outgrew the limit. */
  full = false;
  private readonly ancestors: object[] = [];

  constructor(private readonly limit: number) {}

  /** Appends the JSON of any value. Throws only what reading `value` itself throws. */
  value(value: unknown): void {
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number":
        this.out += numberJson(value);
        return;
      case "boolean":
        this.out += value ? "true" : "false";
        return;
      case "undefined":
        this.out += "null";
        return;
      case "bigint":
        return this.string(value.toString());
      case "symbol":
        return this.string(value.toString());
      case "function":
        return this.string(functionLabel(value));
      default:
        if (value === null) this.out += "null";
        else this.object(value as object);
    }
  }

  private string(s: string): void {
    const room = this.limit - this.out.length;
    if (s.length <= room) {
      this.out += quote(s);
      return;
    }
    // One unit more than fits is enough to show the overflow, without
    // escaping megabytes that will be cut.
    this.out += quote(sliceUnits(s, Math.max(room, 0) + 1));
    this.full = true;
  }

  private overflowed(): boolean {
    if (this.out.length > this.limit) this.full = true;
    return this.full;
  }

  private object(o: object): void {
    const ancestors = this.ancestors;
    if (ancestors.length >= MAX_DEPTH) {
      this.out += TOO_DEEP;
      return;
    }
    if (ancestors.includes(o)) {
      this.out += CIRCULAR;
      return;
    }
    ancestors.push(o);
    try {
      this.composite(o);
    } finally {
      ancestors.pop();
    }
  }

  private composite(o: object): void {
    if (Array.isArray(o)) return this.array(o);
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Object.prototype || proto === null) return this.fields(o, Object.keys(o), undefined);
    // The built-in tag, unlike instanceof, also recognises objects from other
    // realms (vm contexts, jest's sandbox). A class faking a built-in's tag
    // fails the brand checks below and gets an Unserializable marker.
    switch (builtinTag.call(o)) {
      case "[object Date]":
        return this.date(o);
      case "[object RegExp]":
        return this.string(RegExp.prototype.toString.call(o));
      case "[object Error]":
        return this.fields(o, errorKeys(o as Error), undefined);
      case "[object Map]":
        return this.map(o as Map<unknown, unknown>);
      case "[object Set]":
        return this.list(o as Set<unknown>);
      case "[object ArrayBuffer]":
      case "[object SharedArrayBuffer]":
        return this.array(new Uint8Array(o as ArrayBuffer));
      case "[object DataView]": {
        const view = o as DataView;
        return this.array(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      }
      case "[object Number]":
      case "[object String]":
      case "[object Boolean]":
        return this.value((o as { valueOf(): unknown }).valueOf());
    }
    if (ArrayBuffer.isView(o)) return this.array(o as unknown as ArrayLike<unknown>);
    const custom = customTypes();
    const customJson = custom ? custom.customSerialize(o) : undefined;
    if (custom && customJson !== custom.NOT_CUSTOM) return this.value(customJson);
    // URL, Decimal, Moment, … say how they want to look; a toJSON returning
    // its receiver would loop, so it falls through to the field walk.
    const toJSON: unknown = (o as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const json: unknown = toJSON.call(o, "");
      if (json !== o) return this.value(json);
    }
    this.fields(o, Object.keys(o), className(proto));
  }

  private date(d: object): void {
    const time = getTime.call(d);
    this.string(Number.isNaN(time) ? "Invalid Date" : toISOString.call(d));
  }

  /** Appends a value already read; if walking into it throws, its partial
   * text is replaced by a marker. */
  private guardedValue(v: unknown): void {
    const mark = this.out.length;
    try {
      this.value(v);
    } catch (error) {
      this.out = this.out.slice(0, mark) + unserializable(error);
    }
  }

  private key(sep: string, key: string): void {
    this.out += sep;
    this.string(key);
    this.out += ":";
  }

  /** Appends `sep"key":value` and returns the next separator. Undefined
   * values are omitted, as JSON.stringify does. */
  private member(sep: string, key: string, v: unknown): string {
    if (v === undefined) return sep;
    this.key(sep, key);
    this.guardedValue(v);
    return ",";
  }

  private array(items: ArrayLike<unknown>): void {
    const n = items.length;
    this.out += "[";
    for (let i = 0; i < n; i++) {
      if (this.overflowed()) break;
      if (i > 0) this.out += ",";
      let v: unknown;
      try {
        v = items[i];
      } catch (error) {
        this.out += unserializable(error);
        continue;
      }
      this.guardedValue(v);
    }
    this.out += "]";
  }

  private fields(o: object, keys: readonly string[], cls: string | undefined): void {
    this.out += "{";
    let sep = "";
    if (cls !== undefined) {
      this.key(sep, "__class");
      this.string(cls);
      sep = ",";
    }
    const record = o as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      if (this.overflowed()) break;
      const key = keys[i];
      let v: unknown;
      try {
        v = record[key];
      } catch (error) {
        this.key(sep, key);
        this.out += unserializable(error);
        sep = ",";
        continue;
      }
      sep = this.member(sep, key, v);
    }
    this.out += "}";
  }

  private list(values: Iterable<unknown>): void {
    this.out += "[";
    let sep = "";
    for (const v of values) {
      if (this.overflowed()) break;
      this.out += sep;
      sep = ",";
      this.guardedValue(v);
    }
    this.out += "]";
  }

  /** Maps with only string keys read as objects; others as `[key, value]` pairs. */
  private map(m: Map<unknown, unknown>): void {
    if (!this.stringKeyed(m)) return this.list(m);
    this.out += "{";
    let sep = "";
    for (const [k, v] of m) {
      if (this.overflowed()) break;
      sep = this.member(sep, typeof k === "string" ? k : String(k), v);
    }
    this.out += "}";
  }

  /** Whether the map's keys are all strings. Only as many keys as could fit
   * under the limit are checked: a map larger than that is cut anyway. */
  private stringKeyed(m: Map<unknown, unknown>): boolean {
    let seen = 0;
    for (const k of m.keys()) {
      if (typeof k !== "string") return false;
      if (++seen > this.limit) break;
    }
    return true;
  }
}
