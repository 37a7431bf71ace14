/** The recorded input of one call: its arguments mapped onto the parameters `parseParams` (params.ts) read. */

import type { ArgumentNames } from "../../serialize/recording.js";
import type { Binding, ParamSpec } from "./params.js";

/**
 * Key of the recorded input holding the arguments passed beyond the declared
 * parameters (as an array). It cannot clash with a parameter name.
 */
export const EXTRA_ARGS_KEY = "...args";

/** The value at `path` in `value`, read defensively (a getter may throw); undefined when absent. */
function readPath(value: unknown, binding: Binding): unknown {
  let v = value;
  try {
    for (const key of binding.path) {
      if (v === null || v === undefined) return undefined;
      v = (v as Record<string | number, unknown>)[key];
    }
    if (binding.restFrom !== undefined) return Array.isArray(v) ? v.slice(binding.restFrom) : undefined;
    return v;
  } catch {
    return undefined;
  }
}

/** A fresh copy of a literal default (so `[]` and `{}` defaults are never shared). */
function fallbackValue(fallback: { value: unknown }): unknown {
  const { value } = fallback;
  if (Array.isArray(value)) return [];
  return typeof value === "object" && value !== null ? {} : value;
}

/**
 * Builds the recorded input: parameter name → argument. A rest parameter
 * takes the array of the remaining arguments; a destructured one records
 * each name it binds. Arguments beyond the declared parameters go, as an
 * array, under {@link EXTRA_ARGS_KEY}. An omitted argument with a literal
 * default is recorded as that default; with any other default as undefined
 * (the expression is not evaluated), which the default serializer omits.
 */
export function buildInput(params: readonly ParamSpec[], args: ArrayLike<unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const { name, rest, bindings, fallback } = params[i];
    if (rest) {
      input[name] = Array.prototype.slice.call(args, i);
      return input;
    }
    const value = args[i] === undefined && fallback ? fallbackValue(fallback) : args[i];
    if (bindings === undefined) input[name] = value;
    else for (const b of bindings) input[b.name] = readPath(value, b);
  }
  if (args.length > n) input[EXTRA_ARGS_KEY] = Array.prototype.slice.call(args, n);
  return input;
}

/** Integer names, which a JS object may order before all others (array indices up to 2^32 - 2, so all of them, to be safe). */
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/**
 * How a function with `params` records its arguments. Primitive arguments may be written
 * directly under pre-encoded keys only for plain names (no rest, pattern or default), and not
 * for index-like names ("0"), which an object would put first, unlike the ordered shortcut.
 */
export function argumentNames(params: readonly ParamSpec[]): ArgumentNames {
  const plain = !params.some((p) => p.rest || p.bindings || p.fallback || INDEX_LIKE.test(p.name));
  return {
    keys: plain ? params.map((p) => `${JSON.stringify(p.name)}:`) : null,
    object: (args) => buildInput(params, args),
  };
}
