import { type Attributes, type Context, type Span } from "@opentelemetry/api";
import { activeTracer } from "../../context/active-tracer.js";
import { recordError } from "../../api/settle.js";
import { recordSummary, requestAttributes } from "../../llm/attributes.js";
import type { CallSummary } from "../../llm/integration.js";
import type { Recorder } from "../../context/recorder.js";
import { Keys, type SpanKindName } from "../../wire/keys.js";

export type { Recorder };

/** The active tracer when it records; integrations make no spans otherwise. */
export function recorder(): Recorder | undefined {
  const tracer = activeTracer();
  return tracer?.recording ? tracer : undefined;
}

/** Starts a span of `kind` under `parent` (a context), with the tracer that will record it. */
export function startSpan(recorder: Recorder, name: string, kind: SpanKindName, parent: Context, attributes?: Attributes): Span {
  return recorder.otelTracer.startSpan(name, { attributes: { [Keys.spanKind]: kind, ...attributes } }, parent);
}

/** Attributes of an LLM call known at its start (the keys a wrapped client's span has). */
export function llmStartAttributes(provider: string, operation: string, model: string | undefined): Attributes {
  return requestAttributes(provider, provider, operation, model);
}

/** Records a finished LLM call: model, token usage, cost from the price table, output. Never throws. */
export function recordLLMResult(span: Span, recorder: Recorder, summary: CallSummary, requestModel?: string): void {
  try {
    recordSummary(span, recorder, summary, requestModel);
  } catch {
    // a malformed framework payload leaves the span without usage rather than failing the app
  }
}

/** Records `value` under `key` (input or output), serialized with the tracer's serializer. Never throws. */
export function recordValue(span: Span, recorder: Recorder, key: typeof Keys.input | typeof Keys.output, value: unknown): void {
  const serialize = recorder.serializeInputOutput;
  if (value === undefined || serialize === undefined) return;
  try {
    span.setAttribute(key, serialize(value));
  } catch {
    // the serializer never throws; a hostile span implementation might
  }
}

/** Status ERROR and one exception event. Never throws. */
export function recordFailure(span: Span, error: unknown): void {
  recordError(span, error);
}
