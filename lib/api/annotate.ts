import { trace, type AttributeValue, type Span } from "@opentelemetry/api";
import { activeTracer } from "../context/active-tracer.js";
import { safeSerialize } from "../serialize/index.js";
import type { Recorder } from "../context/recorder.js";
import { Keys, type SpanKindName } from "../wire/keys.js";
import { recordError } from "./settle.js";
import { entriesOf } from "./arguments.js";

/** Model, provider, token usage and cost of an LLM call (docs/wire.md keys `judgment.llm.*`, `judgment.usage.*`). */
export interface LLMMetadata {
  model?: string;
  provider?: string;
  non_cached_input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  total_cost_usd?: number;
}

/** The current span when it records; these helpers are no-ops otherwise. */
function recordingSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

/** Serializes with the active tracer's serializer (or the default one). */
function serializeValue(value: unknown): string {
  const tracer = activeTracer();
  return tracer ? tracer.serialize(value) : safeSerialize(value);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  const t = typeof value;
  return t === "string" || t === "number" || t === "boolean";
}

/** An OpenTelemetry attribute value: primitives and homogeneous primitive arrays as they are, the rest serialized. */
function toAttributeValue(value: unknown): AttributeValue {
  if (isPrimitive(value)) return value;
  if (Array.isArray(value) && value.length > 0) {
    const t = typeof value[0];
    if (isPrimitive(value[0]) && value.every((v) => typeof v === t)) return value as AttributeValue;
  }
  return serializeValue(value);
}

/** Runs `body` on the current recording span, if any; tracing never throws into user code. */
export function safely(body: (span: Span) => void): void {
  try {
    const span = recordingSpan();
    if (span) body(span);
  } catch {
    // absorbed: see above
  }
}

/** Like {@link safely}, for helpers that only act under a live (not offline) active tracer. */
export function safelyLive(body: (span: Span, recorder: Recorder) => void): void {
  safely((span) => {
    const tracer = activeTracer();
    if (tracer && !tracer.offline) body(span, tracer);
  });
}

/** Sets `judgment.span_kind` on the current span. */
export function setSpanKind(kind: SpanKindName): void {
  safely((span) => typeof kind === "string" && span.setAttribute(Keys.spanKind, kind));
}
/** Marks the current span as an LLM call. */
export function setLLMSpan(): void {
  setSpanKind("llm");
}
/** Marks the current span as a tool call. */
export function setToolSpan(): void {
  setSpanKind("tool");
}
/** Marks the current span as a general span. */
export function setGeneralSpan(): void {
  setSpanKind("span");
}

/** Sets one attribute on the current span; non-primitive values are serialized. */
export function setAttribute(key: string, value: unknown): void {
  safely((span) => typeof key === "string" && span.setAttribute(key, toAttributeValue(value)));
}

/** Attributes of one `setAttributes` call taken at most (the SDK keeps 128 per span by default). */
const MAX_SET_ATTRIBUTES = 1024;

/**
 * Sets several attributes on the current span. Anything but a record (a string, an array, a
 * typed array) sets nothing rather than one attribute per character or element.
 */
export function setAttributes(attributes: Record<string, unknown>): void {
  safely((span) => {
    for (const [key, value] of entriesOf(attributes, MAX_SET_ATTRIBUTES)) span.setAttribute(key, toAttributeValue(value));
  });
}

/** Records `value` as the current span's input. */
export function setInput(value: unknown): void {
  safely((span) => span.setAttribute(Keys.input, serializeValue(value)));
}

/** Records `value` as the current span's output. */
export function setOutput(value: unknown): void {
  safely((span) => span.setAttribute(Keys.output, serializeValue(value)));
}

/** Records an error on the current span: status ERROR and an exception event. */
export function setError(error: unknown): void {
  safely((span) => recordError(span, error));
}

const USAGE_KEYS: ReadonlyArray<[keyof LLMMetadata, string]> = [
  ["non_cached_input_tokens", Keys.nonCachedInputTokens],
  ["output_tokens", Keys.outputTokens],
  ["cache_read_input_tokens", Keys.cacheReadInputTokens],
  ["cache_creation_input_tokens", Keys.cacheCreationInputTokens],
  ["total_cost_usd", Keys.totalCostUsd],
];

/** Records model, provider, token usage and cost on the current span. */
export function recordLLMMetadata(metadata: LLMMetadata): void {
  safely((span) => {
    if (typeof metadata.model === "string") span.setAttribute(Keys.llmModel, metadata.model);
    if (typeof metadata.provider === "string") span.setAttribute(Keys.llmProvider, metadata.provider);
    for (const [field, key] of USAGE_KEYS) {
      const value = metadata[field];
      if (typeof value === "number" && Number.isFinite(value)) span.setAttribute(key, value);
    }
  });
}
