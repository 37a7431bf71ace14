/**
 * UTF-8 and JSON-escaping arithmetic on UTF-16 strings, without encoding them.
 * Kept apart so the cutting logic can reason in bytes while JS works in code
 * units.
 */

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The first `units` code units of `s`, one fewer when the cut would split a
 * surrogate pair (a lone half is not valid UTF-8). */
export function sliceUnits(s: string, units: number): string {
  if (units <= 0) return "";
  if (units >= s.length) return s;
  return isHigh(s.charCodeAt(units - 1)) ? s.slice(0, units - 1) : s.slice(0, units);
}

/** Where a prefix of `text` ends, and how many UTF-8 bytes it holds unescaped. */
export interface Prefix {
  end: number;
  bytes: number;
}

/**
 * Longest prefix of `text` whose `JSON.stringify` form (quotes excluded) takes
 * at most `budget` UTF-8 bytes. Mirrors JSON.stringify's escaping: `"` and `\`
 * take 2 bytes, control characters 2 or 6, lone surrogates 6 (`\udXXX`).
 * Never ends inside a surrogate pair.
 */
export function escapedPrefix(text: string, budget: number): Prefix {
  let used = 0;
  let bytes = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    let cost: number;
    let raw: number;
    let width = 1;
    if (c >= 0x20 && c < 0x80 && c !== 0x22 && c !== 0x5c) {
      // Plain ASCII, by far the common case: stays on the cheapest branch.
      if (used >= budget) break;
      used++;
      bytes++;
      i++;
      continue;
    } else if (c < 0x80) {
      raw = 1;
      cost = c >= 0x20 || c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    } else if (c < 0x800) {
      cost = raw = 2;
    } else if (isHigh(c) && i + 1 < n && isLow(text.charCodeAt(i + 1))) {
      cost = raw = 4;
      width = 2;
    } else if (isHigh(c) || isLow(c)) {
      cost = 6;
      raw = 3; // Buffer.byteLength counts a lone surrogate as U+FFFD
    } else {
      cost = raw = 3;
    }
    if (used + cost > budget) break;
    used += cost;
    bytes += raw;
    i += width;
  }
  return { end: i, bytes };
}

/** Characters JSON.stringify would escape in a string. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s)` for a string, about twice as fast on the common
 * strings that need no escaping (keys, identifiers, plain prose). */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
