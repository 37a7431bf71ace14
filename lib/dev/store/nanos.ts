/**
 * Helpers for timestamps kept as decimal strings of nanoseconds since the epoch
 * (canonical form: no sign, no leading zeros).
 */

/** Orders two canonical nanosecond strings without parsing them. */
export function compareNanos(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `end - start` in milliseconds; 0 when `end` is missing ("0") or before `start`. */
export function spanMs(start: string, end: string): number {
  const s = BigInt(start);
  const e = BigInt(end);
  return e > 0n && e >= s ? Number(e - s) / 1e6 : 0;
}
