import type { Attributes } from "@opentelemetry/api";
import { GenAi } from "../../wire/genaiKeys.js";
import { Ai } from "./keys.js";

/**
 * What a GenAI span stands for: one provider call (`llm`), a tool execution (`tool`), an agent run
 * (`agent`), or another GenAI operation kept as a plain span (`other`: steps, embeddings batches…).
 */
export type GenAiRole = "llm" | "tool" | "agent" | "other";

/**
 * The role of a span from its attributes, or undefined when it is not a GenAI span. Every exported
 * span passes here, so the common answer (undefined) costs four property reads.
 */
export function genAiRole(attributes: Attributes): GenAiRole | undefined {
  const aiOperation = attributes[Ai.operationId];
  if (typeof aiOperation === "string") return aiSdkRole(aiOperation);
  const operation = attributes[GenAi.operationName];
  if (operation === undefined) {
    // Older conventions name no operation: `gen_ai.system` marks the provider call itself.
    return attributes[GenAi.system] !== undefined || attributes[GenAi.providerName] !== undefined ? "llm" : undefined;
  }
  switch (operation) {
    case "chat":
    case "text_completion":
    case "generate_content":
    case "embeddings":
      return "llm";
    case "execute_tool":
      return "tool";
    case "invoke_agent":
      return "agent";
    default:
      return "other";
  }
}

/** AI SDK spans: `ai.generateText` (the run) → `ai.generateText.doGenerate` (each call) and `ai.toolCall`. */
function aiSdkRole(operation: string): GenAiRole {
  if (operation.endsWith(".doGenerate") || operation.endsWith(".doStream") || operation.endsWith(".doEmbed")) return "llm";
  if (operation === "ai.toolCall") return "tool";
  if (operation === "ai.generateText" || operation === "ai.streamText") return "agent";
  return "other";
}
