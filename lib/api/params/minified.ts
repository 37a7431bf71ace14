import type { ParamSpec } from "./params.js";

/** The parameter list closed and the body opened with no space between: `run(a){` or `(e,t)=>`. */
const COMPACT_HEADER = /^[^\n{]*\)(?:\{|=>)/;

/**
 * Whether a function's parameter names look like a minifier's: each one or two characters, in a
 * source written as only minifiers write it (no line break, no space before the body). Formatted
 * code, even on one line, has `) {` or `) =>`, so it never matches. Never throws.
 */
export function looksMinified(fn: Function, params: readonly ParamSpec[]): boolean {
  if (params.length === 0 || !params.every((p) => !p.bindings && p.name.length <= 2)) return false;
  try {
    const source = Function.prototype.toString.call(fn);
    return !source.includes("\n") && COMPACT_HEADER.test(source);
  } catch {
    return false;
  }
}
