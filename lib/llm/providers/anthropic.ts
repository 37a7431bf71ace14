import { StreamedOutput } from "../accumulate.js";
import type { CallSummary, Integration, StreamAccumulator } from "../integration.js";
import { field, hasMethod, num, record, str } from "../read.js";
import type { TokenUsage } from "../../pricing/usage.js";

/**
 * Token usage of a Messages API `usage` object (merged into `into`, as a stream's later events
 * update it). Anthropic reports cache reads and writes beside `input_tokens`, which excludes both.
 */
export function messageUsage(usage: unknown, into: TokenUsage = {}): TokenUsage | undefined {
  if (!record(usage)) return undefined;
  const set = (key: keyof TokenUsage, value: unknown) => {
    const n = num(value);
    if (n !== undefined) into[key] = n;
  };
  set("nonCachedInput", field(usage, "input_tokens"));
  set("cacheRead", field(usage, "cache_read_input_tokens"));
  set("cacheCreation", field(usage, "cache_creation_input_tokens"));
  set("output", field(usage, "output_tokens"));
  return into;
}

function summarizeMessage(message: unknown): CallSummary {
  const reason = str(field(message, "stop_reason"));
  return {
    model: str(field(message, "model")),
    id: str(field(message, "id")),
    usage: messageUsage(field(message, "usage")),
    finishReasons: reason ? [reason] : undefined,
    output: message,
  };
}

/**
 * Accumulates Messages stream events: `message_start` opens with the model and input usage,
 * content deltas carry text and tool input, `message_delta` brings the cumulative output usage.
 */
function messageEventAccumulator(): StreamAccumulator {
  const out = new StreamedOutput();
  let message: unknown;
  let usage: TokenUsage | undefined;
  let reason: string | undefined;
  return {
    add(event) {
      const index = num(field(event, "index")) ?? 0;
      switch (field(event, "type")) {
        case "message_start":
          message = field(event, "message");
          usage = messageUsage(field(message, "usage"));
          break;
        case "content_block_start": {
          const block = field(event, "content_block");
          if (field(block, "type") === "tool_use") out.addTool(index, { id: str(field(block, "id")), name: str(field(block, "name")) });
          break;
        }
        case "content_block_delta": {
          const delta = field(event, "delta");
          const type = field(delta, "type");
          if (type === "text_delta") out.addText(field(delta, "text"));
          else if (type === "input_json_delta") out.addTool(index, { argumentsDelta: field(delta, "partial_json") });
          break;
        }
        case "message_delta":
          usage = messageUsage(field(event, "usage"), usage ?? {}) ?? usage;
          reason = str(field(field(event, "delta"), "stop_reason")) ?? reason;
          break;
      }
      return true;
    },
    summary: () => ({
      model: str(field(message, "model")),
      id: str(field(message, "id")),
      usage,
      finishReasons: reason ? [reason] : undefined,
      output: out.value(),
    }),
  };
}

/**
 * The `@anthropic-ai/sdk` client. `messages.stream()` sends its request through
 * `messages.create` of the same client, so it is traced there, helpers untouched; likewise
 * `beta.messages.stream()`, the beta tool runner and message threads go through
 * `beta.messages.create`.
 */
export const anthropic: Integration = {
  provider: "anthropic",
  spanName: "ANTHROPIC_API_CALL",
  genAiProvider: () => "anthropic",
  classNames: ["Anthropic", "BaseAnthropic"],
  hasShape: (client) => hasMethod(client, ["messages", "create"]) && !hasMethod(client, ["chat", "completions", "create"]),
  operations: [
    { resource: ["messages"], method: "create", operation: "chat", summarize: summarizeMessage, stream: messageEventAccumulator },
    { resource: ["beta", "messages"], method: "create", operation: "chat", summarize: summarizeMessage, stream: messageEventAccumulator },
  ],
};
