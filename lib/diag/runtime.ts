/**
 * What differs between Node and the edge runtimes (Cloudflare Workers, Vercel Edge) in the few
 * globals the SDK touches, read defensively so one implementation runs on each: an isolate may
 * have no `process`, timers that are plain numbers, and no `setImmediate`.
 */

/** A timer, whichever shape the runtime gives it. */
export type Timer = ReturnType<typeof setTimeout>;

/** An environment variable, or undefined where the runtime has no `process.env`. */
export function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** Lets the process exit while `timer` is pending, where timers can (Node's); returns it. */
export function unref<T extends Timer>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;

/** Runs `fn` on a later turn of the event loop: `setImmediate` where there is one, else a zero timer. */
export function onNextTurn(fn: () => void): void {
  if (immediate) immediate(fn);
  else setTimeout(fn, 0);
}
