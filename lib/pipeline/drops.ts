import { log } from "../diag/log.js";

/**
 * Spans the SDK could not deliver, counted by reason and reported as warnings at most once per
 * {@link DROP_REPORT_INTERVAL} (and whatever is left at shutdown), so a drop is never silent and
 * a flood of them never floods the log.
 */

/** At most one report per this many ms. */
const DROP_REPORT_INTERVAL = 10000;

const counts = new Map<string, number>();
let lastReport = 0;

/** Counts `n` spans dropped for `reason` (a phrase completing "dropped N spans: …"). */
export function countDropped(n: number, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + n);
}

/** Logs the counts since the last report, unless one was made less than an interval ago (`force` ignores that). */
export function reportDropped(force: boolean): void {
  if (counts.size === 0) return;
  const now = Date.now();
  if (!force && now - lastReport < DROP_REPORT_INTERVAL) return;
  for (const [reason, n] of counts) log.warn(`dropped ${n} ${n === 1 ? "span" : "spans"}: ${reason}.`);
  counts.clear();
  lastReport = now;
}
