import type { SqlValue } from "./driver.js";

/** A text column's value, or null. */
export const str = (v: SqlValue | undefined): string | null => (typeof v === "string" ? v : null);
/** A numeric column's value (0 for null). */
export const int = (v: SqlValue | undefined): number => Number(v ?? 0);

/** The largest SQLite integer: a time column holding it was clamped. */
export const MAX_INTEGER = 2n ** 63n - 1n;

/**
 * A nanosecond time as a column value: SQLite integers are signed 64-bit, so a
 * time past 2262 is clamped in the column (the span keeps its exact text).
 */
export function nsColumn(ns: string | bigint): bigint {
  const value = BigInt(ns);
  return value > MAX_INTEGER ? MAX_INTEGER : value < -MAX_INTEGER ? -MAX_INTEGER : value;
}
