/**
 * The OpenAI chat-completions wire format, which Together serves as well: usage fields and
 * shape of streamed chunks.
 */
import { StreamedOutput } from "../accumulate.js";
import type { CallSummary, StreamAccumulator } from "../integration.js";
import { field, list, num, record, str } from "../read.js";
import { usageFromInclusivePrompt, type TokenUsage } from "../../pricing/usage.js";

/** Usage of a chat completion: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`. */
function chatUsage(usage: unknown): TokenUsage | undefined {
  if (!record(usage)) return undefined;
  return usageFromInclusivePrompt(
    num(field(usage, "prompt_tokens")),
    num(field(field(usage, "prompt_tokens_details"), "cached_tokens")),
    num(field(usage, "completion_tokens")),
  );
}

function finishReasons(choices: readonly unknown[]): string[] {
  const reasons: string[] = [];
  for (const choice of choices) {
    const reason = str(field(choice, "finish_reason"));
    if (reason !== undefined) reasons.push(reason);
  }
  return reasons;
}

/** Summary of a complete chat completion; the output is the whole response. */
export function summarizeChatCompletion(response: unknown): CallSummary {
  return {
    model: str(field(response, "model")),
    id: str(field(response, "id")),
    usage: chatUsage(field(response, "usage")),
    finishReasons: finishReasons(list(field(response, "choices"))),
    output: response,
  };
}

/**
 * Accumulates `chat.completion.chunk`s: text and tool calls of the first choice, the model,
 * and the usage, which comes in the last chunk. With `hideAddedUsage` (the wrapper itself asked
 * for `stream_options.include_usage`), the usage-only chunk and the `usage: null` that every
 * other chunk then carries are kept from the caller, who sees what an unwrapped client sees.
 */
export function chatChunkAccumulator(hideAddedUsage: boolean): StreamAccumulator {
  const out = new StreamedOutput();
  let model: string | undefined;
  let id: string | undefined;
  let usage: TokenUsage | undefined;
  const reasons: string[] = [];
  return {
    add(chunk) {
      const c = record(chunk);
      if (!c) return true;
      model ??= str(c.model);
      id ??= str(c.id);
      if (c.usage) usage = chatUsage(c.usage);
      const choices = list(c.choices);
      for (const choice of choices) {
        if (num(field(choice, "index")) ?? 0) continue;
        const delta = field(choice, "delta");
        out.addText(field(delta, "content"));
        for (const call of list(field(delta, "tool_calls"))) {
          const fn = field(call, "function");
          out.addTool(num(field(call, "index")) ?? 0, {
            id: str(field(call, "id")),
            name: str(field(fn, "name")),
            argumentsDelta: field(fn, "arguments"),
          });
        }
        const reason = str(field(choice, "finish_reason"));
        if (reason) reasons.push(reason);
      }
      if (!hideAddedUsage) return true;
      if (choices.length === 0 && c.usage) return false;
      if (c.usage === null) delete c.usage;
      return true;
    },
    summary: () => ({ model, id, usage, finishReasons: reasons, output: out.value() }),
  };
}
