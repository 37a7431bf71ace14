import { setImmediate } from "node:timers";

/**
 * A read made of bounded steps: a generator that yields between steps and returns the result. In-process callers run
 * it straight through ({@link runSteps}); the HTTP routes hand it to one shared scheduler ({@link runStepsSliced}).
 */
export type SteppedRead<T> = Generator<void, T, void>;

/** Time all sliced reads together may hold the event loop in one turn (a step may overrun it once). */
const SLICE_MS = 8;

interface Task {
  read: SteppedRead<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

const tasks: Task[] = [];
let scheduled = false;

/** Runs `read` to its end at once. */
export function runSteps<T>(read: SteppedRead<T>): T {
  for (;;) {
    const step = read.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs `read` to its end among the other sliced reads: one step of each in turn, for at most {@link SLICE_MS} per turn
 * of the event loop, whatever the number of reads. Ingest and every other callback wait one slice at most, not one
 * slice per request in flight.
 */
export function runStepsSliced<T>(read: SteppedRead<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    tasks.push({ read, resolve, reject });
    schedule();
  });
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(runSlice);
}

function runSlice(): void {
  scheduled = false;
  const start = performance.now();
  while (tasks.length > 0 && performance.now() - start < SLICE_MS) {
    const task = tasks.shift()!;
    try {
      const step = task.read.next();
      if (step.done) task.resolve(step.value);
      else tasks.push(task);
    } catch (err) {
      task.reject(err);
    }
  }
  if (tasks.length > 0) schedule();
}
