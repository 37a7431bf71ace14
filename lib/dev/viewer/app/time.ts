/** Orders two nanosecond decimal strings without parsing them. */
export function compareNs(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Milliseconds from `origin` to `ns` (both nanosecond strings). */
export function offsetMs(ns: string, origin: string): number {
  return Number(BigInt(ns) - BigInt(origin)) / 1e6;
}
