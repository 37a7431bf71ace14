import type { Attributes } from "@opentelemetry/api";
import type { CallSummary } from "../../llm/integration.js";
import { field, list, num, record, str } from "../../llm/read.js";
import { usageFromInclusivePrompt } from "../../pricing/usage.js";
import type { SpanKindName } from "../../wire/keys.js";

/** How one kind of Agents SDK span appears in a judgment trace. */
export interface SpanShape {
  name: string;
  kind: SpanKindName;
  attributes: Attributes;
}

const PREFIX = "openai_agents";

/** Name, kind and start attributes of an Agents SDK span from its `spanData`. */
export function shapeOf(data: Record<string, unknown>): SpanShape {
  const type = str(data.type) ?? "custom";
  const attributes: Attributes = { [`${PREFIX}.span_type`]: type };
  const name = str(data.name);
  switch (type) {
    case "task":
      return { name: name ?? "run", kind: "span", attributes };
    case "agent":
      return { name: name ?? "agent", kind: "agent", attributes };
    case "turn":
      attributes[`${PREFIX}.turn`] = num(data.turn) ?? 0;
      if (str(data.agent_name)) attributes[`${PREFIX}.agent_name`] = str(data.agent_name)!;
      return { name: `turn ${num(data.turn) ?? ""}`.trim(), kind: "span", attributes };
    case "response":
    case "generation":
      return { name: type, kind: "llm", attributes };
    case "function":
      return { name: name ?? "function", kind: "tool", attributes };
    case "mcp_tools":
      return { name: `list tools ${str(data.server) ?? ""}`.trim(), kind: "tool", attributes };
    case "handoff":
      return { name: "handoff", kind: "span", attributes };
    default:
      return { name: name ?? type, kind: "span", attributes };
  }
}

/** Model, usage and output of a Responses API call from a `response` span's recorded response. */
export function responseSummary(data: Record<string, unknown>): CallSummary {
  const response = record(data._response);
  const usage = record(field(response, "usage"));
  return {
    model: str(field(response, "model")),
    id: str(data.response_id) ?? str(field(response, "id")),
    usage:
      usage &&
      usageFromInclusivePrompt(num(usage.input_tokens), num(field(usage.input_tokens_details, "cached_tokens")), num(usage.output_tokens)),
    output: field(response, "output"),
  };
}

/** Model, usage and output of a Chat Completions call from a `generation` span. */
export function generationSummary(data: Record<string, unknown>): CallSummary {
  const completion = record(list(data.output)[0]);
  const chat = record(field(completion, "usage"));
  const own = record(data.usage);
  const cached = num(field(chat?.prompt_tokens_details, "cached_tokens")) ?? num(field(own?.details, "cached_tokens"));
  const prompt = num(chat?.prompt_tokens) ?? num(own?.input_tokens);
  const output = num(chat?.completion_tokens) ?? num(own?.output_tokens);
  const choices = list(field(completion, "choices"));
  return {
    model: str(field(completion, "model")),
    id: str(field(completion, "id")),
    usage: usageFromInclusivePrompt(prompt, cached, output),
    output: choices.length ? field(choices[0], "message") : data.output,
  };
}

/** Attributes known once a span ends (what the SDK filled in while it ran). */
export function endAttributes(data: Record<string, unknown>): Attributes {
  const attributes: Attributes = {};
  const set = (key: string, value: unknown) => {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") attributes[`${PREFIX}.${key}`] = value;
  };
  switch (data.type) {
    case "agent":
      if (Array.isArray(data.tools)) attributes[`${PREFIX}.tools`] = data.tools.filter((t): t is string => typeof t === "string");
      if (Array.isArray(data.handoffs)) attributes[`${PREFIX}.handoffs`] = data.handoffs.filter((t): t is string => typeof t === "string");
      set("output_type", data.output_type);
      break;
    case "handoff":
      set("from_agent", data.from_agent);
      set("to_agent", data.to_agent);
      break;
    case "guardrail":
      set("triggered", data.triggered);
      break;
    case "function":
      set("mcp_data", data.mcp_data);
      break;
  }
  return attributes;
}
