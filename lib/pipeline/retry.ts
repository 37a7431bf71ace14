/** How long undelivered batches are retried before they are spooled (or dropped). */
export interface RetryOptions {
  /** First delay between attempts, in ms (default 1000). */
  initialDelayMillis?: number;
  /** Longest delay between attempts, in ms (default 30000). */
  maxDelayMillis?: number;
  /** Give up on a batch this long after its first attempt, in ms (default 300000). */
  maxElapsedMillis?: number;
}

/** Delay before attempt `attempt + 1`: exponential, capped, with ±20 % jitter so clients spread out. */
export function backoffDelay(attempt: number, options: Required<RetryOptions>): number {
  const exponential = Math.min(options.initialDelayMillis * 2 ** attempt, options.maxDelayMillis);
  return exponential * (0.8 + Math.random() * 0.4);
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  initialDelayMillis: 1000,
  maxDelayMillis: 30000,
  maxElapsedMillis: 300000,
};

/**
 * Whether a failed export may succeed later: network errors, timeouts, 408, 429 and 5xx may;
 * any other 4xx (a malformed batch, a bad key) never will.
 */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "number") return true;
  return code === 408 || code === 429 || code >= 500;
}
