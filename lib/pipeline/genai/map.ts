import type { Attributes, AttributeValue } from "@opentelemetry/api";
import type { TimedEvent } from "../../otel/sdk.js";
import { costUsd, findPrice } from "../../pricing/cost.js";
import type { PriceTable } from "../../pricing/prices.js";
import type { TokenUsage } from "../../pricing/usage.js";
import { GenAi } from "../../wire/genai-keys.js";
import { Keys } from "../../wire/keys.js";
import { eventMessages } from "./events.js";
import { unflatten } from "./flattened.js";
import { Ai, OpenInference } from "./keys.js";
import type { GenAiRole } from "./role.js";

function first(attributes: Attributes, keys: readonly string[]): AttributeValue {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function count(attributes: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/** A value for `judgment.input`/`output`: the conventions' values are JSON text already; plain text is quoted. */
function asJson(value: AttributeValue, isJsonText: boolean): string {
  if (typeof value === "string") return isJsonText ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function setIfAbsent(attributes: Attributes, key: string, value: AttributeValue): void {
  if (value !== undefined && attributes[key] === undefined) attributes[key] = value;
}

/** The AI SDK's answer of a call or run: its object, its text, its tool calls, or text and tool calls. */
function aiSdkOutput(attributes: Attributes): string | undefined {
  const object = attributes[Ai.responseObject];
  if (typeof object === "string") return object;
  const text = attributes[Ai.responseText];
  const toolCalls = attributes[Ai.responseToolCalls];
  const hasText = typeof text === "string" && text.length > 0;
  if (typeof toolCalls !== "string") return typeof text === "string" ? JSON.stringify(text) : undefined;
  return hasText ? `{"text":${JSON.stringify(text)},"toolCalls":${toolCalls}}` : toolCalls;
}

/** OpenInference's `input.value`/`output.value`: JSON text when its mime type says so, else quoted text. */
function openInferenceValue(attributes: Attributes, valueKey: string, mimeKey: string): string | undefined {
  const value = attributes[valueKey];
  if (value === undefined || value === null) return undefined;
  return asJson(value, attributes[mimeKey] === "application/json");
}

/** A flattened OpenInference list (messages, documents) as JSON text. */
function openInferenceList(attributes: Attributes, prefix: string): string | undefined {
  const items = unflatten(attributes, prefix);
  return items && JSON.stringify(items);
}

function inputOf(attributes: Attributes, role: GenAiRole): string | undefined {
  if (role === "tool") {
    const args = first(attributes, [GenAi.toolCallArguments, Ai.toolArgs]);
    if (args !== undefined) return asJson(args, true);
    const query = attributes[GenAi.retrievalQuery];
    if (query !== undefined) return asJson(query, false);
  } else {
    const input = first(
      attributes,
      role === "llm" ? [GenAi.inputMessages, Ai.promptMessages] : [GenAi.inputMessages, Ai.prompt, Ai.promptMessages],
    );
    if (input !== undefined) return asJson(input, true);
    if (role === "llm" && attributes[OpenInference.spanKind] !== undefined) {
      const messages = openInferenceList(attributes, OpenInference.inputMessages);
      if (messages !== undefined) return messages;
    }
  }
  if (attributes[OpenInference.spanKind] === undefined) return undefined;
  return openInferenceValue(attributes, OpenInference.inputValue, OpenInference.inputMimeType);
}

function outputOf(attributes: Attributes, role: GenAiRole): string | undefined {
  if (role === "tool") {
    const result = first(attributes, [GenAi.toolCallResult, Ai.toolResult, GenAi.retrievalDocuments]);
    if (result !== undefined) return asJson(result, true);
  } else {
    const messages = attributes[GenAi.outputMessages];
    if (messages !== undefined) return asJson(messages, true);
    const aiSdk = aiSdkOutput(attributes);
    if (aiSdk !== undefined) return aiSdk;
  }
  if (attributes[OpenInference.spanKind] === undefined) return undefined;
  const lists =
    role === "llm"
      ? [OpenInference.outputMessages]
      : role === "tool"
        ? [OpenInference.retrievalDocuments, OpenInference.rerankerOutputDocuments]
        : [];
  for (const prefix of lists) {
    const items = openInferenceList(attributes, prefix);
    if (items !== undefined) return items;
  }
  return openInferenceValue(attributes, OpenInference.outputValue, OpenInference.outputMimeType);
}

function mapContent(attributes: Attributes, role: GenAiRole, events: readonly TimedEvent[]): void {
  setIfAbsent(attributes, Keys.input, inputOf(attributes, role));
  setIfAbsent(attributes, Keys.output, outputOf(attributes, role));
  if (events.length === 0 || (attributes[Keys.input] !== undefined && attributes[Keys.output] !== undefined)) return;
  const fromEvents = eventMessages(events);
  setIfAbsent(attributes, Keys.input, fromEvents.input);
  setIfAbsent(attributes, Keys.output, fromEvents.output);
}

/** `openai.responses` (the AI SDK's provider ids) → `openai`, as judgeval's wrapped clients name it. */
function providerName(attributes: Attributes): string | undefined {
  const provider = first(attributes, [GenAi.providerName, GenAi.system, Ai.modelProvider, OpenInference.provider, OpenInference.system]);
  if (typeof provider !== "string") return undefined;
  const dot = provider.indexOf(".");
  return dot > 0 ? provider.slice(0, dot) : provider;
}

/**
 * Token counts split as the price table bills them: the conventions' input count (and
 * OpenInference's prompt count) includes the cached part.
 */
function usageOf(attributes: Attributes): TokenUsage | undefined {
  const input = count(attributes, GenAi.inputTokens, Ai.inputTokens, Ai.promptTokens, OpenInference.promptTokens);
  const output = count(attributes, GenAi.outputTokens, Ai.outputTokens, Ai.completionTokens, OpenInference.completionTokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = count(attributes, GenAi.cacheReadInputTokens, Ai.cacheReadTokens, Ai.cachedInputTokens, OpenInference.cacheReadTokens);
  const cacheCreation = count(
    attributes,
    GenAi.cacheCreationInputTokens,
    GenAi.cacheWriteInputTokens,
    Ai.cacheWriteTokens,
    OpenInference.cacheWriteTokens,
  );
  const nonCachedInput = input === undefined ? undefined : Math.max(0, input - (cacheRead ?? 0) - (cacheCreation ?? 0));
  return { nonCachedInput, cacheRead, cacheCreation, output };
}

function mapCall(attributes: Attributes, prices: PriceTable | undefined): void {
  const model = first(attributes, [
    GenAi.responseModel,
    GenAi.requestModel,
    Ai.responseModel,
    Ai.modelId,
    OpenInference.responseModelName,
    OpenInference.modelName,
    OpenInference.embeddingModelName,
  ]);
  setIfAbsent(attributes, Keys.llmProvider, providerName(attributes));
  if (typeof model === "string") setIfAbsent(attributes, Keys.llmModel, model);
  setIfAbsent(attributes, GenAi.reasoningOutputTokens, count(attributes, Ai.reasoningTokens, OpenInference.reasoningTokens));
  const usage = usageOf(attributes);
  if (!usage) return;
  setIfAbsent(attributes, Keys.nonCachedInputTokens, usage.nonCachedInput);
  setIfAbsent(attributes, Keys.cacheReadInputTokens, usage.cacheRead);
  setIfAbsent(attributes, Keys.cacheCreationInputTokens, usage.cacheCreation);
  setIfAbsent(attributes, Keys.outputTokens, usage.output);
  // An unknown model gets no cost rather than a guessed one.
  const price = typeof model === "string" ? findPrice(model, prices) : undefined;
  if (price) setIfAbsent(attributes, Keys.totalCostUsd, costUsd(price, usage));
}

/**
 * Writes the judgment keys of a GenAI or OpenInference span from its convention keys, in place:
 * its kind, input and output (from its attributes, else from its message events), and for a
 * provider call its model, provider, token counts and cost. Keys already set (by hand, or by
 * judgeval itself) are kept. Usage is recorded on calls only: an agent's totals repeat its calls'
 * and would count their cost twice.
 */
export function mapGenAiSpan(
  attributes: Attributes,
  role: GenAiRole,
  prices: PriceTable | undefined,
  events: readonly TimedEvent[] = [],
): void {
  if (role !== "other") {
    const kind = attributes[Keys.spanKind];
    if (kind === undefined || kind === "span") attributes[Keys.spanKind] = role;
  }
  mapContent(attributes, role, events);
  if (role === "llm") mapCall(attributes, prices);
}
