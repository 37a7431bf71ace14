/**
 * Reading a damaged database: what SQLite says when a page is unreadable, and a scan in key order that steps past
 * the damaged key ranges instead of failing the whole read.
 */

const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** True when `err` is SQLite's answer to a damaged page or file ("database disk image is malformed"). */
export function isDamage(err: unknown): boolean {
  const e = err as { errcode?: unknown; code?: unknown; message?: unknown } | undefined;
  if (typeof e?.errcode === "number") return (e.errcode & 0xff) === SQLITE_CORRUPT || (e.errcode & 0xff) === SQLITE_NOTADB;
  if (e?.code === "SQLITE_CORRUPT" || e?.code === "SQLITE_NOTADB") return true;
  return /disk image is malformed|file is not a database/i.test(String(e?.message));
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** A read in the order of an integer key, resumable past any key. */
export interface KeyedScan<R> {
  /** +1 when the key grows along the scan, -1 when it shrinks. */
  direction: 1 | -1;
  /**
   * Reads up to `limit` rows, strictly past `bound` when given (else from the scan's own start), handing each to
   * `each` as it is read (so rows read before a damaged page are kept). Throws what SQLite throws.
   */
  read(bound: bigint | undefined, limit: number, each: (row: R) => void): void;
  keyOf(row: R): bigint;
}

/**
 * Up to `limit` rows of `scan`, stepping over damaged pages: when a read fails on one, the nearest key past it from
 * which the scan reads again is found by probing (doubling steps, then halving: a few dozen one-row reads), the keys
 * in between are skipped, and `onDamage` is called once for each range skipped. `from`: read past this key rather
 * than from the scan's own start.
 */
export function readPastDamage<R>(scan: KeyedScan<R>, limit: number, onDamage: () => void, from?: bigint): R[] {
  const rows: R[] = [];
  let bound = from;
  // Each pass either ends the read or skips a damaged range; the bound moves along the scan every time.
  for (;;) {
    try {
      scan.read(bound, limit - rows.length, (row) => {
        rows.push(row);
        bound = scan.keyOf(row);
      });
      return rows;
    } catch (err) {
      if (!isDamage(err)) throw err;
      onDamage();
      const start = bound ?? (scan.direction > 0 ? INT64_MIN : INT64_MAX);
      const next = nextReadable(scan, start);
      if (next === undefined || rows.length >= limit) return rows;
      bound = next;
    }
  }
}

function readable<R>(scan: KeyedScan<R>, bound: bigint): boolean {
  try {
    scan.read(bound, 1, () => undefined);
    return true;
  } catch (err) {
    if (!isDamage(err)) throw err;
    return false;
  }
}

/** The key nearest past `failing` from which `scan` reads without damage; undefined when none is. */
function nextReadable<R>(scan: KeyedScan<R>, failing: bigint): bigint | undefined {
  const at = (step: bigint): bigint => failing + BigInt(scan.direction) * step;
  const inRange = (key: bigint): boolean => key >= INT64_MIN && key <= INT64_MAX;
  let bad = 0n;
  let step = 1n;
  while (!readable(scan, at(step))) {
    bad = step;
    step *= 2n;
    if (!inRange(at(step))) return undefined;
  }
  // at(bad) fails, at(step) reads: halve the gap.
  while (step - bad > 1n) {
    const mid = (bad + step) / 2n;
    if (readable(scan, at(mid))) step = mid;
    else bad = mid;
  }
  return at(step);
}
