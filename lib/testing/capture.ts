import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "../otel/sdk.js";
import { TRACES_PATH } from "../wire/paths.js";
import { Tracer } from "../tracer/tracer.js";
import type { TracerConfig } from "../tracer/options/types.js";
import { buildTraces, type CapturedTrace } from "./tree.js";

/** Keeps every ended span in memory. */
class SpanRecorder implements SpanProcessor {
  ended: ReadableSpan[] = [];
  open = 0;

  onStart(_span: Span, _parent: Context): void {
    this.open++;
  }
  onEnd(span: ReadableSpan): void {
    this.open--;
    this.ended.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Tracer options that make sense for a capture (credentials and export ones are ignored). */
export type CaptureOptions = Pick<
  TracerConfig,
  "serializer" | "maxAttributeBytes" | "recordInputOutput" | "prices" | "sampler" | "spanLimits"
>;

/** A tracer that keeps its spans in memory, for assertions in tests. */
export interface TraceCapture {
  /** The underlying tracer: pass it where code under test expects one, or `setActive()` it. */
  readonly tracer: Tracer;
  /** Runs `fn` with this capture's tracer active for `fn`'s async context only; returns what `fn` returns. */
  run<R>(fn: () => R): R;
  /** Traces whose spans ended so far, in the order they started. */
  traces(): CapturedTrace[];
  /** Spans started and not yet ended (a capture read while work is still running misses them). */
  openSpans(): number;
  /** Forgets what was captured. */
  clear(): void;
  /** Stops the tracer; the capture keeps what it has. */
  shutdown(): Promise<void>;
}

class CaptureTracer extends Tracer {
  constructor(options: CaptureOptions, recorder: SpanRecorder) {
    // Credentials are never read: a capture sends nothing anywhere, whatever the environment says.
    super({ ...options, setActive: false, spanProcessors: [recorder] }, { path: TRACES_PATH, offline: false, inMemory: true });
  }
}

/**
 * A tracer recording in memory, with no server and no network. Code under test reaches it through
 * `capture.run(fn)` (or `capture.tracer.setActive()` for a whole test file).
 */
export function createTraceCapture(options: CaptureOptions = {}): TraceCapture {
  const recorder = new SpanRecorder();
  const tracer = new CaptureTracer(options, recorder);
  return {
    tracer,
    run: (fn) => tracer.run(fn),
    traces: () => buildTraces(recorder.ended),
    openSpans: () => recorder.open,
    clear: () => {
      recorder.ended = [];
    },
    shutdown: () => tracer.shutdown(),
  };
}

/** What {@link captureTraces} resolves with. */
export interface CaptureResult<R> {
  /** What `fn` returned (awaited). */
  result: Awaited<R>;
  /** The traces `fn` made, in the order they started. */
  traces: CapturedTrace[];
}

/**
 * Runs `fn` under a fresh in-memory tracer and resolves with its result and the traces it made
 * (spans that had ended when `fn` settled). If `fn` throws, the error is re-thrown: use
 * {@link createTraceCapture} to look at the traces of a failing run.
 *
 * @example
 * const { result, traces } = await captureTraces(() => agent.run("hi"));
 * expect(traces[0].root).toMatchObject({ name: "run", kind: "agent" });
 */
export async function captureTraces<R>(fn: () => R, options: CaptureOptions = {}): Promise<CaptureResult<R>> {
  const capture = createTraceCapture(options);
  try {
    const result = await capture.run(fn);
    return { result, traces: capture.traces() };
  } finally {
    await capture.shutdown();
  }
}
