import type { CallSummary, Integration, Operation, StreamAccumulator } from "../integration.js";
import { StreamedOutput } from "../accumulate.js";
import { field, hasMethod, list, num, record, str } from "../read.js";
import { usageFromInclusivePrompt, type TokenUsage } from "../../pricing/usage.js";
import { chatChunkAccumulator, summarizeChatCompletion } from "./openai-compatible.js";

/**
 * Streamed chat completions carry no usage unless asked; ask, on a copy of the caller's
 * request, when the caller left `include_usage` unset.
 */
function askForStreamUsage(request: unknown): unknown {
  const body = record(request);
  if (!body || body.stream !== true) return request;
  const options = record(body.stream_options);
  if (options && options.include_usage !== undefined) return request;
  return { ...body, stream_options: { ...options, include_usage: true } };
}

/** Responses API usage: `input_tokens` includes `input_tokens_details.cached_tokens`. */
function responsesUsage(usage: unknown): TokenUsage | undefined {
  if (!record(usage)) return undefined;
  return usageFromInclusivePrompt(
    num(field(usage, "input_tokens")),
    num(field(field(usage, "input_tokens_details"), "cached_tokens")),
    num(field(usage, "output_tokens")),
  );
}

function summarizeResponse(response: unknown, output: unknown = response): CallSummary {
  const status = str(field(response, "status"));
  return {
    model: str(field(response, "model")),
    id: str(field(response, "id")),
    usage: responsesUsage(field(response, "usage")),
    finishReasons: status ? [status] : undefined,
    output,
  };
}

// Events of a streamed response that carry the whole response object.
const RESPONSE_EVENTS = new Set([
  "response.created",
  "response.in_progress",
  "response.completed",
  "response.incomplete",
  "response.failed",
]);

/** Accumulates Responses API stream events: text deltas, and the final response's model and usage. */
function responseEventAccumulator(): StreamAccumulator {
  const out = new StreamedOutput();
  let response: unknown;
  return {
    add(event) {
      const type = field(event, "type");
      if (type === "response.output_text.delta") out.addText(field(event, "delta"));
      else if (type === "response.function_call_arguments.delta")
        out.addTool(str(field(event, "item_id")) ?? "", { argumentsDelta: field(event, "delta") });
      else if (typeof type === "string" && RESPONSE_EVENTS.has(type)) response = field(event, "response");
      return true;
    },
    summary: () => summarizeResponse(response, out.empty ? field(response, "output") : out.value()),
  };
}

function summarizeEmbeddings(response: unknown): CallSummary {
  const usage = field(response, "usage");
  const prompt = num(field(usage, "prompt_tokens"));
  return {
    model: str(field(response, "model")),
    usage: prompt === undefined ? undefined : { nonCachedInput: prompt, output: 0 },
    // The vectors themselves would only fill the attribute: their count and size tell the story.
    output: {
      model: field(response, "model"),
      usage,
      data: list(field(response, "data")).map((d) => {
        const embedding = field(d, "embedding");
        return { index: field(d, "index"), dimensions: Array.isArray(embedding) ? embedding.length : undefined };
      }),
    },
  };
}

/** Decoded size of a base64 string, without decoding it. */
function base64Bytes(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

function summarizeImages(response: unknown): CallSummary {
  const usage = field(response, "usage");
  const body = record(response) ?? {};
  return {
    usage: record(usage)
      ? usageFromInclusivePrompt(num(field(usage, "input_tokens")), undefined, num(field(usage, "output_tokens")))
      : undefined,
    output: {
      ...body,
      data: list(body.data).map((image) => {
        const b64 = field(image, "b64_json");
        return typeof b64 === "string" ? { ...record(image), b64_json: `[base64 image, ${base64Bytes(b64)} bytes]` } : image;
      }),
    },
  };
}

const operations: Operation[] = [
  {
    resource: ["chat", "completions"],
    method: "create",
    operation: "chat",
    send: askForStreamUsage,
    summarize: summarizeChatCompletion,
    stream: (request, sent) => chatChunkAccumulator(sent !== request),
  },
  { resource: ["responses"], method: "create", operation: "chat", summarize: summarizeResponse, stream: responseEventAccumulator },
  { resource: ["embeddings"], method: "create", operation: "embeddings", summarize: summarizeEmbeddings },
  { resource: ["images"], method: "generate", operation: "image_generation", summarize: summarizeImages },
];

/**
 * The `openai` client (and `AzureOpenAI`). Its helpers — `chat.completions.parse`/`stream`/
 * `runTools`, `responses.parse`/`stream` — call `create` on the same client, so they are traced
 * through it, one span per request.
 */
export const openai: Integration = {
  provider: "openai",
  spanName: "OPENAI_API_CALL",
  genAiProvider: () => "openai",
  classNames: ["OpenAI", "AzureOpenAI"],
  hasShape: (client) =>
    hasMethod(client, ["chat", "completions", "create"]) &&
    hasMethod(client, ["responses", "create"]) &&
    hasMethod(client, ["embeddings", "create"]),
  operations,
};
