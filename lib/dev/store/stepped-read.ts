import { setImmediate } from "node:timers";

/**
 * A read made of bounded steps: a generator that yields between steps and returns the result. In-process callers run
 * it straight through ({@link runSteps}); the HTTP routes give the event loop a turn every few milliseconds
 * ({@link runStepsSliced}), so ingest and other requests go on while a large read does.
 */
export type SteppedRead<T> = Generator<void, T, void>;

/** Time one turn of a sliced read may hold the event loop before it lets others run (a step may overrun it once). */
const SLICE_MS = 8;

/** Runs `read` to its end at once. */
export function runSteps<T>(read: SteppedRead<T>): T {
  for (;;) {
    const step = read.next();
    if (step.done) return step.value;
  }
}

/** Runs `read` to its end, letting the event loop turn whenever its steps have held it for {@link SLICE_MS}. */
export async function runStepsSliced<T>(read: SteppedRead<T>): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = read.next();
    if (step.done) return step.value;
    if (performance.now() - since >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}
