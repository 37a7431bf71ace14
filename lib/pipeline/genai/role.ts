import type { Attributes } from "@opentelemetry/api";
import { GenAi } from "../../wire/genai-keys.js";
import { Ai, OpenInference } from "./keys.js";

/**
 * What a GenAI span stands for: one provider call (`llm`), a tool execution or a retrieval
 * (`tool`), an agent or workflow (`agent`), or another GenAI operation kept as a plain span
 * (`other`: steps, chains, guardrails…).
 */
export type GenAiRole = "llm" | "tool" | "agent" | "other";

/**
 * The role of a span from its attributes, or undefined when it is not a GenAI span. Every exported
 * span passes here, so the common answer (undefined) costs five property reads.
 */
export function genAiRole(attributes: Attributes): GenAiRole | undefined {
  const aiOperation = attributes[Ai.operationId];
  if (typeof aiOperation === "string") return aiSdkRole(aiOperation);
  const operation = attributes[GenAi.operationName];
  if (operation !== undefined) return operationRole(operation);
  const openInferenceKind = attributes[OpenInference.spanKind];
  if (typeof openInferenceKind === "string") return openInferenceRole(openInferenceKind);
  // Older conventions name no operation: `gen_ai.system` marks the provider call itself.
  return attributes[GenAi.system] !== undefined || attributes[GenAi.providerName] !== undefined ? "llm" : undefined;
}

/** `gen_ai.operation.name`: the conventions' operations, agent and workflow ones included. */
function operationRole(operation: unknown): GenAiRole {
  switch (operation) {
    case "chat":
    case "text_completion":
    case "generate_content":
    case "embeddings":
      return "llm";
    case "execute_tool":
    case "retrieval":
      return "tool";
    case "invoke_agent":
    case "invoke_workflow":
    case "create_agent":
    case "plan":
      return "agent";
    default:
      return "other";
  }
}

/** `openinference.span.kind`: model and embedding calls, tools and retrievals, agents; the rest (chains, guardrails…) plain. */
function openInferenceRole(kind: string): GenAiRole {
  switch (kind.toUpperCase()) {
    case "LLM":
    case "EMBEDDING":
      return "llm";
    case "TOOL":
    case "RETRIEVER":
    case "RERANKER":
      return "tool";
    case "AGENT":
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
