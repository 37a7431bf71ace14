import { context, createContextKey, type Context } from "@opentelemetry/api";
import type { Recorder } from "./recorder.js";

const ACTIVE_TRACER = createContextKey("judgeval.activeTracer");

/** The process-wide active tracer, and whether any async context overrides it. */
let processActive: Recorder | undefined;
let scoped = false;

/**
 * The tracer the static API acts on: the one bound to the current async context by
 * `tracer.run(fn)`, else the process-wide one. `T` narrows to the tracer class for the facade, which alone knows it.
 */
export function activeTracer<T extends Recorder = Recorder>(): T | undefined {
  if (scoped) {
    const bound = context.active().getValue(ACTIVE_TRACER);
    if (bound !== undefined) return bound as T;
  }
  return processActive as T | undefined;
}

export function setProcessActiveTracer(tracer: Recorder): void {
  processActive = tracer;
}

export function isProcessActive(tracer: unknown): boolean {
  return processActive === tracer;
}

/** A context in which `tracer` is the active tracer. */
export function withActiveTracer(ctx: Context, tracer: Recorder): Context {
  scoped = true;
  return ctx.setValue(ACTIVE_TRACER, tracer);
}
