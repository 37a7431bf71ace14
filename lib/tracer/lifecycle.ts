import { state } from "../context/globalState.js";

/** What the process-exit flush needs of a tracer. */
export interface Flushable {
  /** Spans wait to be delivered (open spans alone don't count: they may never end). */
  hasPending(): boolean;
  /** The last delivery attempt before the process exits. */
  flushOnExit(): Promise<boolean>;
}

/**
 * Tracks a tracer for the static `forceFlush`/`shutdown` and the exit flush, in the process-wide
 * state: the static calls of either build reach the tracers of both.
 */
export function registerTracer(tracer: Flushable): void {
  state.tracers.add(tracer);
  state.tracersMade++;
  if (state.exitHooked) return;
  state.exitHooked = true;
  // Node fires beforeExit whenever the loop empties; the flush's request refills it, and the
  // next beforeExit finds nothing pending, so the process then exits as it would have.
  process.on("beforeExit", () => {
    for (const t of state.tracers as Set<Flushable>) if (t.hasPending()) void t.flushOnExit();
  });
}

export function unregisterTracer(tracer: Flushable): void {
  state.tracers.delete(tracer);
}

export function allTracers<T extends Flushable>(): T[] {
  return [...state.tracers] as T[];
}
