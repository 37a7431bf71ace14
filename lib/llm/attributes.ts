import type { Attributes, Span } from "@opentelemetry/api";
import { GenAi } from "../wire/genaiKeys.js";
import { Keys } from "../wire/keys.js";
import type { Recorder } from "../context/recorder.js";
import { costUsd, findPrice } from "../pricing/cost.js";
import type { CallSummary } from "./integration.js";
import { totalInput, type TokenUsage } from "../pricing/usage.js";

/** Set on a streamed call's span when the consumer stopped reading (break, return, abort) before the end. */
export const STREAM_CANCELLED = "judgment.llm.stream_cancelled";

/** Attributes known when a call starts. */
export function requestAttributes(provider: string, genAiProvider: string, operation: string, model: string | undefined): Attributes {
  const attributes: Attributes = {
    [Keys.spanKind]: "llm",
    [Keys.llmProvider]: provider,
    [GenAi.system]: genAiProvider,
    [GenAi.providerName]: genAiProvider,
    [GenAi.operationName]: operation,
  };
  if (model !== undefined) {
    attributes[Keys.llmModel] = model;
    attributes[GenAi.requestModel] = model;
  }
  return attributes;
}

function setNumber(attributes: Attributes, key: string, value: number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

function usageAttributes(attributes: Attributes, usage: TokenUsage): void {
  setNumber(attributes, Keys.nonCachedInputTokens, usage.nonCachedInput);
  setNumber(attributes, Keys.cacheReadInputTokens, usage.cacheRead);
  setNumber(attributes, Keys.cacheCreationInputTokens, usage.cacheCreation);
  setNumber(attributes, Keys.outputTokens, usage.output);
  setNumber(attributes, GenAi.inputTokens, totalInput(usage));
  setNumber(attributes, GenAi.outputTokens, usage.output);
  setNumber(attributes, GenAi.cacheReadInputTokens, usage.cacheRead);
  setNumber(attributes, GenAi.cacheCreationInputTokens, usage.cacheCreation);
}

/** Records what a finished call returned: model, usage, cost (when the model has a price) and output. */
export function recordSummary(span: Span, tracer: Recorder, summary: CallSummary, requestModel: string | undefined): void {
  const attributes: Attributes = {};
  const model = summary.model ?? requestModel;
  if (summary.model !== undefined) {
    attributes[Keys.llmModel] = summary.model;
    attributes[GenAi.responseModel] = summary.model;
  }
  if (summary.id !== undefined) attributes[GenAi.responseId] = summary.id;
  if (summary.finishReasons?.length) attributes[GenAi.finishReasons] = summary.finishReasons;
  if (summary.usage) {
    usageAttributes(attributes, summary.usage);
    const price = model === undefined ? undefined : findPrice(model, tracer.prices);
    setNumber(attributes, Keys.totalCostUsd, price && costUsd(price, summary.usage));
  }
  if (summary.output !== undefined && tracer.recordInputOutput) attributes[Keys.output] = tracer.serialize(summary.output);
  span.setAttributes(attributes);
}
