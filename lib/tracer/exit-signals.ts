/**
 * SIGTERM and SIGINT end a Node process at once, losing every span still waiting for its export.
 * When the app installed no handler of its own for the signal, the SDK's handler flushes pending
 * spans (for at most {@link SIGNAL_FLUSH_MILLIS}) and then lets the default action happen, so the
 * process still ends by that signal. A second signal during the flush ends it at once. An app
 * that handles the signal itself stays in charge (its handler should `await Tracer.shutdown()`).
 */

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** Longest a signal exit waits for the flush. */
const SIGNAL_FLUSH_MILLIS = 5000;

let installed = false;

/**
 * Installs the handlers once per process; `flush` delivers what is pending and settles when done
 * (it is cut off after {@link SIGNAL_FLUSH_MILLIS}).
 */
export function flushOnExitSignals(flush: () => Promise<unknown>): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) {
    const handler = (): void => {
      // Another listener is the app's: what the signal does is its decision.
      if (process.listenerCount(signal) > 1) return;
      // With no listener left, the next delivery of the signal takes the default action.
      process.removeListener(signal, handler);
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise((resolve) => (timer = setTimeout(resolve, SIGNAL_FLUSH_MILLIS)));
      void Promise.race([flush().catch(() => undefined), bound]).then(() => {
        clearTimeout(timer);
        process.kill(process.pid, signal);
      });
    };
    // First in line: an app's `once` handler is still attached when this one looks for it.
    process.prependListener(signal, handler);
  }
}
