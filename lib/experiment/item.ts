import type { Context, Span as ApiSpan } from "@opentelemetry/api";
import { activeTracer } from "../context/active-tracer.js";
import { queueEvaluation } from "../api/evaluate.js";
import { Example } from "../offline/example.js";
import type { ReadableSpan, Span, SpanProcessor } from "../otel/sdk.js";
import { buildTraces, type CapturedTrace } from "../testing/tree.js";
import type { Judgeval } from "../tracer/judgeval.js";
import { Tracer } from "../tracer/tracer.js";
import { ExperimentKeys } from "../wire/keys.js";
import { runScorers, type NamedScorer } from "./scorers.js";
import type { DatasetItem, ExperimentItem, ExperimentOptions, TokenCounts } from "./types.js";

/** Keeps the ended spans of one item's tracer, for its scorers and its token count. */
class SpanCollector implements SpanProcessor {
  readonly ended: ReadableSpan[] = [];
  onStart(_span: Span, _parent: Context): void {}
  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** What every item of a run shares. */
export interface RunContext<I, O> {
  client: Judgeval;
  runId: string;
  options: ExperimentOptions<I, O>;
  scorers: ReadonlyArray<NamedScorer<I, O>>;
  signal: AbortSignal;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An item's fields, its input (the `input` field, else every field) and its expected output. */
export function readItem<I>(item: DatasetItem<I>): { fields: Record<string, unknown>; input: I; expected: unknown } {
  const fields = item instanceof Example ? item.properties : isRecord(item) ? { ...item } : { input: item };
  const input = (Object.prototype.hasOwnProperty.call(fields, "input") ? fields.input : fields) as I;
  return { fields, input, expected: fields.expected_output };
}

/** The trace of `traceId` from the collected spans, with `root` (still open) in it. */
function traceOf(collector: SpanCollector, root: ApiSpan, traceId: string): CapturedTrace | undefined {
  const spans = collector.ended.filter((s) => s.spanContext().traceId === traceId);
  // The SDK's span is its own readable view; the root has not ended yet, so the collector lacks it.
  const readable = root as unknown as ReadableSpan;
  return buildTraces("attributes" in readable ? [...spans, readable] : spans)[0];
}

function usage(trace: CapturedTrace | undefined): { tokens: TokenCounts; costUsd: number | undefined } {
  const tokens = { input: 0, output: 0 };
  let costUsd: number | undefined;
  for (const span of trace?.spans ?? []) {
    const u = span.usage;
    if (!u) continue;
    tokens.input += (u.nonCachedInputTokens ?? 0) + (u.cacheReadInputTokens ?? 0) + (u.cacheCreationInputTokens ?? 0);
    tokens.output += u.outputTokens ?? 0;
    if (u.totalCostUsd !== undefined) costUsd = (costUsd ?? 0) + u.totalCostUsd;
  }
  return { tokens, costUsd };
}

/**
 * Runs one item on its own offline tracer: a root span named after the run, the task inside it
 * (tried again up to `retries` times), then the local scorers and the hosted judges, whose
 * results go on the root span before it ends. Resolves once the item's spans are delivered; never
 * rejects (the task's error is the item's `error`).
 */
export async function runItem<I, O>(run: RunContext<I, O>, index: number, item: DatasetItem<I>): Promise<ExperimentItem<I, O>> {
  const { options, signal } = run;
  const { fields, input, expected } = readItem(item);
  const collector = new SpanCollector();
  const produced: Example[] = [];
  const tracer = run.client.offlineTracer({
    ...options.tracer,
    dataset: produced,
    exampleFields: fields,
    setActive: false,
    resourceAttributes: { ...options.tracer?.resourceAttributes, [ExperimentKeys.run]: run.runId },
    spanProcessors: [...(options.tracer?.spanProcessors ?? []), collector],
  });
  const result: ExperimentItem<I, O> = {
    index,
    input,
    expected,
    status: "ok",
    attempts: 0,
    durationMs: 0,
    tokens: { input: 0, output: 0 },
    costUsd: undefined,
    scores: [],
  };
  const retries = options.retries ?? 0;
  let traceId: string | undefined;
  try {
    await tracer.run(() =>
      Tracer.span(options.name, async (root) => {
        traceId = root.spanContext().traceId;
        const recorder = activeTracer();
        root.setAttribute(ExperimentKeys.item, index);
        // Serialized as the input and output are, so a viewer shows the three alike.
        if (expected !== undefined && recorder) root.setAttribute(ExperimentKeys.expected, recorder.serialize(expected));
        Tracer.setInput(input);
        const started = performance.now();
        let failure: { error: unknown } | undefined;
        do {
          result.attempts++;
          try {
            result.output = await options.task(input, { index, fields, expected, attempt: result.attempts, signal });
            failure = undefined;
          } catch (error) {
            failure = { error };
          }
        } while (failure && result.attempts <= retries && !signal.aborted);
        result.durationMs = performance.now() - started;
        if (failure) throw failure.error;
        Tracer.setOutput(result.output);
        const trace = traceOf(collector, root, root.spanContext().traceId);
        if (trace && run.scorers.length > 0) {
          result.scores = await runScorers(
            run.scorers,
            { input, output: result.output as O, expected, fields, trace },
            options.passThreshold ?? 0.5,
          );
          root.setAttribute(ExperimentKeys.scores, JSON.stringify(result.scores));
        }
        for (const judge of options.judges ?? []) {
          if (recorder) queueEvaluation(root, recorder, judge, { input, actual_output: result.output, expected_output: expected });
        }
      }),
    );
  } catch (err) {
    result.status = signal.aborted ? "cancelled" : "error";
    result.error = message(err);
  } finally {
    await tracer.shutdown();
  }
  result.traceId = traceId;
  result.example = produced[0];
  result.trace = traceId === undefined ? undefined : buildTraces(collector.ended).find((t) => t.traceId === traceId);
  Object.assign(result, usage(result.trace));
  return result;
}
