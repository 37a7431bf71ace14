import { StreamedOutput } from "../accumulate.js";
import type { CallSummary, Integration, StreamAccumulator } from "../integration.js";
import { field, hasMethod, list, num, record, str } from "../read.js";
import { usageFromInclusivePrompt, type TokenUsage } from "../../pricing/usage.js";

/**
 * `usageMetadata`: `promptTokenCount` includes `cachedContentTokenCount`; tool-use prompt
 * tokens are billed as input and thinking tokens as output.
 */
function metadataUsage(metadata: unknown): TokenUsage | undefined {
  if (!record(metadata)) return undefined;
  const prompt = num(field(metadata, "promptTokenCount"));
  const toolPrompt = num(field(metadata, "toolUsePromptTokenCount"));
  const candidates = num(field(metadata, "candidatesTokenCount"));
  const thoughts = num(field(metadata, "thoughtsTokenCount"));
  return usageFromInclusivePrompt(
    prompt === undefined && toolPrompt === undefined ? undefined : (prompt ?? 0) + (toolPrompt ?? 0),
    num(field(metadata, "cachedContentTokenCount")),
    candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
  );
}

function finishReasons(response: unknown): string[] {
  return list(field(response, "candidates"))
    .map((c) => str(field(c, "finishReason")))
    .filter((r): r is string => r !== undefined);
}

/** The response without the SDK's copy of the HTTP headers. */
function responseBody(response: unknown): unknown {
  const body = record(response);
  if (!body || !("sdkHttpResponse" in body)) return response;
  const { sdkHttpResponse: _headers, ...rest } = body;
  return rest;
}

function summarizeContent(response: unknown): CallSummary {
  return {
    model: str(field(response, "modelVersion")),
    id: str(field(response, "responseId")),
    usage: metadataUsage(field(response, "usageMetadata")),
    finishReasons: finishReasons(response),
    output: responseBody(response),
  };
}

/** Accumulates streamed `GenerateContentResponse`s: text and function calls of the first candidate; the last usage wins. */
function contentChunkAccumulator(): StreamAccumulator {
  const out = new StreamedOutput();
  let last: CallSummary = {};
  let calls = 0;
  return {
    add(chunk) {
      const summary = summarizeContent(chunk);
      last = {
        model: summary.model ?? last.model,
        id: summary.id ?? last.id,
        usage: summary.usage ?? last.usage,
        finishReasons: summary.finishReasons?.length ? summary.finishReasons : last.finishReasons,
      };
      for (const part of list(field(field(list(field(chunk, "candidates"))[0], "content"), "parts"))) {
        if (field(part, "thought") === true) continue;
        out.addText(field(part, "text"));
        const call = field(part, "functionCall");
        if (call) out.addTool(calls++, { name: str(field(call, "name")), argumentsDelta: JSON.stringify(field(call, "args") ?? {}) });
      }
      return true;
    },
    summary: () => ({ ...last, output: out.value() }),
  };
}

/**
 * The `@google/genai` client. `chats` send through `models` of the same client, so chat
 * sessions are traced too.
 */
export const google: Integration = {
  provider: "google",
  spanName: "GOOGLE_API_CALL",
  genAiProvider: (client) => ((client as { vertexai?: unknown }).vertexai === true ? "gcp.vertex_ai" : "gcp.gemini"),
  classNames: ["GoogleGenAI"],
  hasShape: (client) => hasMethod(client, ["models", "generateContent"]) && hasMethod(client, ["models", "generateContentStream"]),
  operations: [
    { resource: ["models"], method: "generateContent", operation: "generate_content", summarize: summarizeContent },
    {
      resource: ["models"],
      method: "generateContentStream",
      operation: "generate_content",
      summarize: summarizeContent,
      stream: contentChunkAccumulator,
    },
  ],
};
