import type { Attributes, Span } from "@opentelemetry/api";
import { attributeWriter, type AttributeWriter } from "../api/own-attributes.js";
import { GenAi } from "../wire/genai-keys.js";
import { Keys } from "../wire/keys.js";
import type { Recorder } from "../context/recorder.js";
import { costUsd, findPrice } from "../pricing/cost.js";
import type { CallSummary } from "./integration.js";
import { totalInput, type TokenUsage } from "../pricing/usage.js";

/** Attributes known when a call starts. */
export function requestAttributes(provider: string, genAiProvider: string, operation: string, model: string | undefined): Attributes {
  const attributes = startAttributes(provider);
  setRequestAttributes((key, value) => (attributes[key] = value), genAiProvider, operation, model);
  return attributes;
}

/**
 * What a wrapped call's span is started with: its kind and provider, by which the span processor
 * tells such a span at its start. The rest of {@link requestAttributes} follows with
 * {@link setRequestAttributes} (attributes given at start the OpenTelemetry SDK validates and
 * copies twice).
 */
export function startAttributes(provider: string): Attributes {
  return { [Keys.spanKind]: "llm", [Keys.llmProvider]: provider };
}

/** The attributes of {@link requestAttributes} beyond {@link startAttributes}, in the same order. */
export function setRequestAttributes(set: AttributeWriter, genAiProvider: string, operation: string, model: string | undefined): void {
  set(GenAi.system, genAiProvider);
  set(GenAi.providerName, genAiProvider);
  set(GenAi.operationName, operation);
  if (model !== undefined) {
    set(Keys.llmModel, model);
    set(GenAi.requestModel, model);
  }
}

function setNumber(set: AttributeWriter, key: string, value: number | undefined): void {
  if (value !== undefined) set(key, value);
}

function usageAttributes(set: AttributeWriter, usage: TokenUsage): void {
  setNumber(set, Keys.nonCachedInputTokens, usage.nonCachedInput);
  setNumber(set, Keys.cacheReadInputTokens, usage.cacheRead);
  setNumber(set, Keys.cacheCreationInputTokens, usage.cacheCreation);
  setNumber(set, Keys.outputTokens, usage.output);
  setNumber(set, GenAi.inputTokens, totalInput(usage));
  setNumber(set, GenAi.outputTokens, usage.output);
  setNumber(set, GenAi.cacheReadInputTokens, usage.cacheRead);
  setNumber(set, GenAi.cacheCreationInputTokens, usage.cacheCreation);
}

/** Records what a finished call returned: model, usage, cost (when the model has a price) and output. */
export function recordSummary(span: Span, recorder: Recorder, summary: CallSummary, requestModel: string | undefined): void {
  const set = attributeWriter(span, recorder);
  const model = summary.model ?? requestModel;
  if (summary.model !== undefined) {
    set(Keys.llmModel, summary.model);
    set(GenAi.responseModel, summary.model);
  }
  if (summary.id !== undefined) set(GenAi.responseId, summary.id);
  if (summary.finishReasons?.length) set(GenAi.finishReasons, summary.finishReasons);
  if (summary.usage) {
    usageAttributes(set, summary.usage);
    const price = model === undefined ? undefined : findPrice(model, recorder.prices);
    setNumber(set, Keys.totalCostUsd, price && costUsd(price, summary.usage));
  }
  const output = summary.output === undefined ? undefined : recorder.serializeInputOutput?.(summary.output);
  if (output !== undefined) set(Keys.output, output);
}
