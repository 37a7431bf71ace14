import { state } from "../context/global-state.js";
import { flushOnExitSignals } from "./exit-signals.js";

/** What the process-exit flush needs of a tracer. */
export interface Flushable {
  /** Spans wait to be delivered (open spans alone don't count: they may never end). */
  hasPending(): boolean;
  /** The last delivery attempt before the process exits. */
  flushOnExit(): Promise<boolean>;
  /** The process ends on an uncaught exception: no time for a request, ended spans go to the spool. */
  spoolOnCrash(): void;
}

/** Tracers that flush on SIGTERM/SIGINT (option `flushOnSignal`, default true). */
const onSignal = new Set<Flushable>();

function flushPending(among: Iterable<Flushable>): Promise<unknown> {
  return Promise.all([...among].filter((t) => t.hasPending()).map((t) => t.flushOnExit()));
}

/** How a tracer's last flushes are hooked. */
export interface ExitOptions {
  /** The runtime's process can exit (Node): hook beforeExit, the crash spool and, with `flushOnSignal`, signals. */
  processExits: boolean;
  /** Option `flushOnSignal` (default true). */
  flushOnSignal: boolean;
}

/**
 * Tracks a tracer for the static `forceFlush`/`shutdown` and the exit flushes, in the
 * process-wide state: the static calls of either build (or copy) reach the tracers of all. An
 * isolate (Workers, Vercel Edge) has no process exit to hook: its spans go with `waitUntil`.
 */
export function registerTracer(tracer: Flushable, { processExits, flushOnSignal }: ExitOptions): void {
  state.tracers.add(tracer);
  state.tracersMade++;
  if (!processExits) return;
  if (flushOnSignal) {
    onSignal.add(tracer);
    flushOnExitSignals(() => flushPending(onSignal));
  }
  if (state.exitHooked) return;
  state.exitHooked = true;
  // Node fires beforeExit whenever the loop empties; the flush's request refills it, and the
  // next beforeExit finds nothing pending, so the process then exits as it would have.
  process.on("beforeExit", () => void flushPending(state.tracers as Set<Flushable>));
  // A monitor changes nothing in how the process fails. With no uncaughtException listener the
  // process ends right after it (an unhandled rejection under Node's default mode included): the
  // spool, if any, keeps what ended for the next process of the project to deliver.
  process.on("uncaughtExceptionMonitor", () => {
    if (process.listenerCount("uncaughtException") > 0) return;
    for (const tracer of state.tracers as Set<Flushable>) {
      try {
        tracer.spoolOnCrash();
      } catch {
        // the process is ending with the app's own error: ours must not replace it
      }
    }
  });
}

export function unregisterTracer(tracer: Flushable): void {
  state.tracers.delete(tracer);
  onSignal.delete(tracer);
}

export function allTracers<T extends Flushable>(): T[] {
  return [...state.tracers] as T[];
}
