import type { Attributes } from "@opentelemetry/api";
import { field, list, str } from "../../llm/read.js";
import { GenAi } from "../../wire/genai-keys.js";

/** One traced kind of MCP request: how its span is named and what it records. */
export interface TracedRequest {
  /** JSON-RPC method, e.g. `tools/call`. */
  readonly method: string;
  /** The `Client` method that sends it. */
  readonly clientMethod: string;
  /** What the request acts on: the tool or prompt name, the resource URI. */
  target(params: Record<string, unknown>): string | undefined;
  /** Recorded as the span's input. */
  input(params: Record<string, unknown>): unknown;
  /** Recorded as the span's output. */
  output(result: Record<string, unknown>): unknown;
  /** Semantic-convention attributes of the request. */
  attributes(target: string | undefined): Attributes;
}

const TOOLS_CALL: TracedRequest = {
  method: "tools/call",
  clientMethod: "callTool",
  target: (p) => str(p.name),
  input: (p) => p.arguments ?? {},
  output: (r) => r.structuredContent ?? r.content,
  attributes: (name) => ({ [GenAi.operationName]: "execute_tool", ...(name ? { [GenAi.toolName]: name } : {}) }),
};

const RESOURCES_READ: TracedRequest = {
  method: "resources/read",
  clientMethod: "readResource",
  target: (p) => str(p.uri),
  input: (p) => ({ uri: p.uri }),
  output: (r) => r.contents,
  attributes: (uri) => (uri ? { "mcp.resource.uri": uri } : {}),
};

const PROMPTS_GET: TracedRequest = {
  method: "prompts/get",
  clientMethod: "getPrompt",
  target: (p) => str(p.name),
  input: (p) => p.arguments ?? {},
  output: (r) => r.messages,
  attributes: (name) => (name ? { [GenAi.promptName]: name } : {}),
};

export const TRACED_REQUESTS: readonly TracedRequest[] = [TOOLS_CALL, RESOURCES_READ, PROMPTS_GET];

/** Span name as the MCP semantic conventions form it: `{method} {target}`. */
export function spanName(request: TracedRequest, target: string | undefined): string {
  return target ? `${request.method} ${target}` : request.method;
}

/** Start attributes of a traced request. */
export function startAttributes(request: TracedRequest, target: string | undefined): Attributes {
  return { "mcp.method.name": request.method, ...request.attributes(target) };
}

/** The text a tool reported its failure with (`isError: true`), else a generic message. */
export function toolErrorText(result: Record<string, unknown>): string | undefined {
  if (result.isError !== true) return undefined;
  for (const item of list(result.content)) {
    const text = str(field(item, "text"));
    if (text) return text;
  }
  return "tool reported an error";
}
