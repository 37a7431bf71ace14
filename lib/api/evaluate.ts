import type { Span } from "@opentelemetry/api";
import { safelyLive } from "./annotate.js";
import { entriesOf, readOptions } from "./arguments.js";
import { Keys } from "../wire/keys.js";
import type { Recorder } from "../context/recorder.js";

/** The object form of {@link asyncEvaluate} (compat). */
export interface AsyncEvaluateRequest {
  judge: string;
  example?: Record<string, unknown>;
}

/** One queued evaluation, as docs/wire.md describes it. */
interface PendingEval {
  project_id: string;
  eval_name: string;
  judges: Array<{ name: string }>;
  examples: Array<Record<string, unknown>>;
  is_offline: boolean;
  is_behavior: false;
}

/** Fields of one example copied at most. */
const MAX_EXAMPLE_FIELDS = 1024;

const PENDING = Symbol("judgeval.pendingEvals");
type Evaluated = Span & { [PENDING]?: PendingEval[] };

/**
 * Queues a hosted evaluation of the current span by `judge`, run by the platform after the span
 * ends (`judgment.pending_trace_eval`). Payloads are numbered per span from 0, as in the reference. A no-op outside a
 * recording span and on the offline tracer.
 */
export function asyncEvaluate(judge: string | AsyncEvaluateRequest, example?: Record<string, unknown>): void {
  safelyLive((current, tracer) => {
    const request = typeof judge === "string" ? { judge, example } : readOptions(judge, ["judge", "example"]);
    if (typeof request.judge !== "string") return;
    queueEvaluation(current, tracer, request.judge, request.example);
  });
}

/**
 * Appends one pending evaluation payload to `span`'s `judgment.pending_trace_eval`. The experiment
 * runner calls it on an item's root span under the offline tracer, where the payload says
 * `is_offline: true` (the trace is in the offline table).
 */
export function queueEvaluation(span: Span, recorder: Recorder, judge: string, example: unknown): void {
  // Only a record's fields are copied: a string or array example is not spread per character.
  const fields = Object.fromEntries(entriesOf(example, MAX_EXAMPLE_FIELDS));
  const evaluated = span as Evaluated;
  const { traceId, spanId } = span.spanContext();
  const pending = (evaluated[PENDING] ??= []);
  pending.push({
    project_id: recorder.projectId ?? "",
    eval_name: `async_evaluate_${judge}_${pending.length}`,
    judges: [{ name: judge }],
    examples: [
      { ...fields, example_id: globalThis.crypto.randomUUID(), created_at: new Date().toISOString(), trace_id: traceId, span_id: spanId },
    ],
    is_offline: recorder.offline,
    is_behavior: false,
  });
  span.setAttribute(Keys.pendingTraceEval, recorder.serialize(pending));
}
