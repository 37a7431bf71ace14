import type { Attributes } from "@opentelemetry/api";
import type { CallSummary } from "../../llm/integration.js";
import { field, num, record, str } from "../../llm/read.js";
import type { TokenUsage } from "../../pricing/usage.js";
import type { SpanKindName } from "../../wire/keys.js";

/** How one kind of Mastra span appears in a judgment trace; `undefined` kind: not shown. */
export interface SpanShape {
  kind: SpanKindName | undefined;
  attributes: Attributes;
}

const PREFIX = "mastra";

/**
 * Kind of a Mastra span by its `type`. A model inference is one provider request (the llm span);
 * the generation and its steps around it total their inferences' usage, so they stay plain
 * spans (their usage would count each request again); streaming chunks are not shown.
 */
export function shapeOf(type: string, entityName: string | undefined): SpanShape {
  const attributes: Attributes = { [`${PREFIX}.span_type`]: type };
  if (entityName) attributes[`${PREFIX}.entity_name`] = entityName;
  switch (type) {
    case "agent_run":
    case "workflow_run":
      return { kind: "agent", attributes };
    case "tool_call":
    case "mcp_tool_call":
    case "client_tool_call":
    case "provider_tool_call":
      return { kind: "tool", attributes };
    case "model_inference":
      return { kind: "llm", attributes };
    case "model_chunk":
      return { kind: undefined, attributes };
    default:
      return { kind: "span", attributes };
  }
}

/** The provider of a Mastra model span: its `provider` attribute up to the first dot (`openai.chat` is `openai`). */
export function providerOf(attributes: unknown): string {
  return str(field(attributes, "provider"))?.split(".")[0] ?? "unknown";
}

/** Mastra's usage (input totals include cache reads and writes) as judgment token counts. */
function usageOf(value: unknown): TokenUsage | undefined {
  const usage = record(value);
  if (!usage) return undefined;
  const input = num(usage.inputTokens);
  const output = num(usage.outputTokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = num(field(usage.inputDetails, "cacheRead")) || undefined;
  const cacheCreation = num(field(usage.inputDetails, "cacheWrite")) || undefined;
  const nonCachedInput = input === undefined ? undefined : Math.max(0, input - (cacheRead ?? 0) - (cacheCreation ?? 0));
  return { nonCachedInput, cacheRead, cacheCreation, output };
}

/** Model, response id, usage and output of a model inference span at its end. */
export function inferenceSummary(attributes: unknown, output: unknown): CallSummary {
  return {
    model: str(field(attributes, "responseModel")),
    id: str(field(attributes, "responseId")),
    usage: usageOf(field(attributes, "usage")),
    output,
    finishReasons: str(field(attributes, "finishReason")) ? [str(field(attributes, "finishReason"))!] : undefined,
  };
}
