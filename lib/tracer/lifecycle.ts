/** What the process-exit flush needs of a tracer. */
export interface Flushable {
  /** Spans wait to be delivered (open spans alone don't count: they may never end). */
  hasPending(): boolean;
  /** The last delivery attempt before the process exits. */
  flushOnExit(): Promise<boolean>;
}

const tracers = new Set<Flushable>();
let hooked = false;

/** Tracks a tracer for the static `forceFlush`/`shutdown` and the exit flush. */
export function registerTracer(tracer: Flushable): void {
  tracers.add(tracer);
  if (hooked) return;
  hooked = true;
  // Node fires beforeExit whenever the loop empties; the flush's request refills it, and the
  // next beforeExit finds nothing pending, so the process then exits as it would have.
  process.on("beforeExit", () => {
    for (const t of tracers) if (t.hasPending()) void t.flushOnExit();
  });
}

export function unregisterTracer(tracer: Flushable): void {
  tracers.delete(tracer);
}

export function allTracers<T extends Flushable>(): T[] {
  return [...tracers] as T[];
}
