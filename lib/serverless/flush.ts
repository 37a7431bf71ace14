import { Tracer } from "../tracer/tracer.js";

/** A platform hook that keeps the function alive until `promise` settles (`ctx.waitUntil`, `after`, …). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** Options of {@link withFlush}. */
export interface FlushOptions {
  /**
   * Hand the flush to this hook and return at once (Vercel's `waitUntil`, Next.js `after`,
   * Cloudflare's `ctx.waitUntil`). Without it the wrapper waits for the flush before it returns.
   */
  waitUntil?: WaitUntil;
  /** Longest wait for delivery, in ms (default 5000): a slow backend never holds a response longer. */
  timeoutMillis?: number;
}

const DEFAULT_TIMEOUT = 5000;

/**
 * Delivers every span the handler made before its result leaves the function: platforms freeze or
 * stop a function once it has answered, so spans still waiting in the batch would be lost or late.
 * The result or error of `handler` passes through unchanged; the flush never throws.
 */
export function withFlush<A extends unknown[], R, T = unknown>(
  handler: (this: T, ...args: A) => R,
  options: FlushOptions = {},
): (this: T, ...args: A) => Promise<Awaited<R>> {
  const { waitUntil, timeoutMillis = DEFAULT_TIMEOUT } = options;
  return async function flushed(this: T, ...args: A): Promise<Awaited<R>> {
    try {
      return await handler.apply(this, args);
    } finally {
      await flushVia(waitUntil, timeoutMillis);
    }
  };
}

/** Flushes all tracers, in the background through `waitUntil` when given. Never throws. */
export async function flushVia(waitUntil: WaitUntil | undefined, timeoutMillis = DEFAULT_TIMEOUT): Promise<void> {
  const flush = Tracer.forceFlush(timeoutMillis).catch(() => false);
  if (!waitUntil) {
    await flush;
    return;
  }
  try {
    waitUntil(flush);
  } catch {
    // a hook that refuses (e.g. called outside a request) leaves waiting here as the safe choice
    await flush;
  }
}
