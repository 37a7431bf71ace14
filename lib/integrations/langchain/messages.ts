import { field, list, num, record, str } from "../../llm/read.js";
import { usageFromInclusivePrompt, type TokenUsage } from "../../pricing/usage.js";
import type { CallSummary } from "../../llm/integration.js";

/**
 * Plain views of LangChain values for span input and output: messages as `{ role, content, … }`
 * rather than their serialized class form, documents as `{ pageContent, metadata }`.
 */

/** A message's role: its own `type` (`human`, `ai`, `tool`, `system`), read without calling it. */
function roleOf(message: Record<string, unknown>): string | undefined {
  const type = message.type;
  if (typeof type === "string") return type;
  try {
    const getType = message._getType ?? message.getType;
    return typeof getType === "function" ? str((getType as () => unknown).call(message)) : undefined;
  } catch {
    return undefined;
  }
}

/** One message as a plain object; anything that is not a message is returned as it is. */
export function plainMessage(value: unknown): unknown {
  const message = record(value);
  if (!message || !("content" in message)) return value;
  const out: Record<string, unknown> = { role: roleOf(message), content: message.content };
  if (list(message.tool_calls).length) out.tool_calls = message.tool_calls;
  if (str(message.name)) out.name = message.name;
  if (str(message.tool_call_id)) out.tool_call_id = message.tool_call_id;
  return out;
}

/** Values with the messages in them made plain: a message, a list of them, or a record holding `messages`. */
export function plainValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValues);
  const fields = record(value);
  if (!fields) return value;
  if (
    "content" in fields &&
    (typeof fields.type === "string" || typeof fields._getType === "function" || typeof fields.getType === "function")
  )
    return plainMessage(fields);
  if (!Array.isArray(fields.messages)) return value;
  return { ...fields, messages: fields.messages.map(plainMessage) };
}

/** Usage from a message's `usage_metadata`: LangChain counts cache reads and writes inside `input_tokens`. */
function messageUsage(message: unknown): TokenUsage | undefined {
  const usage = record(field(message, "usage_metadata"));
  if (!usage) return undefined;
  const input = num(usage.input_tokens);
  const details = record(usage.input_token_details);
  const cacheRead = num(details?.cache_read) || undefined;
  const cacheCreation = num(details?.cache_creation) || undefined;
  const output = num(usage.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  return {
    nonCachedInput: input === undefined ? undefined : Math.max(0, input - (cacheRead ?? 0) - (cacheCreation ?? 0)),
    cacheRead,
    cacheCreation,
    output,
  };
}

/** Usage from the older `llmOutput.tokenUsage` (`promptTokens`, `completionTokens`). */
function outputUsage(llmOutput: unknown): TokenUsage | undefined {
  const usage = record(field(llmOutput, "tokenUsage")) ?? record(field(llmOutput, "estimatedTokenUsage"));
  return usage && usageFromInclusivePrompt(num(usage.promptTokens), undefined, num(usage.completionTokens));
}

function add(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (!a || !b) return a ?? b;
  const sum = (x?: number, y?: number) => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0));
  return {
    nonCachedInput: sum(a.nonCachedInput, b.nonCachedInput),
    cacheRead: sum(a.cacheRead, b.cacheRead),
    cacheCreation: sum(a.cacheCreation, b.cacheCreation),
    output: sum(a.output, b.output),
  };
}

/** Model, usage, finish reasons and output of an `LLMResult`. */
export function llmSummary(result: unknown): CallSummary {
  const generations = list(field(result, "generations")).flatMap((g) => list(g));
  let usage: TokenUsage | undefined;
  let model: string | undefined;
  let id: string | undefined;
  const finishReasons: string[] = [];
  const outputs: unknown[] = [];
  for (const generation of generations) {
    const message = field(generation, "message");
    const metadata = record(field(message, "response_metadata"));
    usage = add(usage, messageUsage(message));
    model ??= str(metadata?.model_name) ?? str(metadata?.model);
    id ??= str(field(message, "id"));
    const finish =
      str(metadata?.finish_reason) ?? str(metadata?.stop_reason) ?? str(field(field(generation, "generationInfo"), "finish_reason"));
    if (finish) finishReasons.push(finish);
    outputs.push(message === undefined ? field(generation, "text") : plainMessage(message));
  }
  return {
    model,
    id,
    usage: usage ?? outputUsage(field(result, "llmOutput")),
    finishReasons,
    output: outputs.length === 1 ? outputs[0] : outputs,
  };
}

/** Retrieved documents as `{ pageContent, metadata }`. */
export function plainDocuments(documents: unknown): unknown {
  return list(documents).map((d) => ({ pageContent: field(d, "pageContent"), metadata: field(d, "metadata") }));
}
