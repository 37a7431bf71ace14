import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { costUsd, findPrice } from "../../pricing/cost.js";
import type { PriceTable } from "../../pricing/prices.js";
import type { TokenUsage } from "../../pricing/usage.js";
import { GenAi } from "../../wire/genaiKeys.js";
import { Keys } from "../../wire/keys.js";
import { Ai } from "./keys.js";
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

function mapContent(attributes: Attributes, role: GenAiRole): void {
  if (role === "tool") {
    const input = first(attributes, [GenAi.toolCallArguments, Ai.toolArgs]);
    const output = first(attributes, [GenAi.toolCallResult, Ai.toolResult]);
    if (input !== undefined) setIfAbsent(attributes, Keys.input, asJson(input, true));
    if (output !== undefined) setIfAbsent(attributes, Keys.output, asJson(output, true));
    return;
  }
  const input = first(
    attributes,
    role === "llm" ? [GenAi.inputMessages, Ai.promptMessages] : [GenAi.inputMessages, Ai.prompt, Ai.promptMessages],
  );
  if (input !== undefined) setIfAbsent(attributes, Keys.input, asJson(input, true));
  const messages = attributes[GenAi.outputMessages];
  setIfAbsent(attributes, Keys.output, messages !== undefined ? asJson(messages, true) : aiSdkOutput(attributes));
}

/** `openai.responses` (the AI SDK's provider ids) → `openai`, as judgeval's wrapped clients name it. */
function providerName(attributes: Attributes): string | undefined {
  const provider = first(attributes, [GenAi.providerName, GenAi.system, Ai.modelProvider]);
  if (typeof provider !== "string") return undefined;
  const dot = provider.indexOf(".");
  return dot > 0 ? provider.slice(0, dot) : provider;
}

/** Token counts split as the price table bills them: the conventions' input count includes the cached part. */
function usageOf(attributes: Attributes): TokenUsage | undefined {
  const input = count(attributes, GenAi.inputTokens, Ai.inputTokens, Ai.promptTokens);
  const output = count(attributes, GenAi.outputTokens, Ai.outputTokens, Ai.completionTokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = count(attributes, GenAi.cacheReadInputTokens, Ai.cacheReadTokens, Ai.cachedInputTokens);
  const cacheCreation = count(attributes, GenAi.cacheCreationInputTokens, Ai.cacheWriteTokens);
  const nonCachedInput = input === undefined ? undefined : Math.max(0, input - (cacheRead ?? 0) - (cacheCreation ?? 0));
  return { nonCachedInput, cacheRead, cacheCreation, output };
}

function mapCall(attributes: Attributes, prices: PriceTable | undefined): void {
  const model = first(attributes, [GenAi.responseModel, GenAi.requestModel, Ai.responseModel, Ai.modelId]);
  setIfAbsent(attributes, Keys.llmProvider, providerName(attributes));
  if (typeof model === "string") setIfAbsent(attributes, Keys.llmModel, model);
  setIfAbsent(attributes, GenAi.reasoningOutputTokens, count(attributes, Ai.reasoningTokens));
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
 * Writes the judgment keys of a GenAI span from its convention keys, in place: its kind, input and
 * output, and for a provider call its model, provider, token counts and cost. Keys already set (by
 * hand, or by judgeval itself) are kept. Usage is recorded on calls only: an agent's totals repeat
 * its calls' and would count their cost twice.
 */
export function mapGenAiSpan(attributes: Attributes, role: GenAiRole, prices: PriceTable | undefined): void {
  if (role !== "other") {
    const kind = attributes[Keys.spanKind];
    if (kind === undefined || kind === "span") attributes[Keys.spanKind] = role;
  }
  mapContent(attributes, role);
  if (role === "llm") mapCall(attributes, prices);
}
