import type { ServerResponse } from "node:http";
import { json, REPLY, sse, startLoopback, streamMode, type Loopback, type Received } from "./loopback.js";

/**
 * A loopback server speaking the Gemini API: `POST /{version}/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`. `promptTokenCount` includes the cached tokens, as Google
 * reports it. Models named `error-…` get a 400 error, `cut-…`/`hold-…` streams stop midway.
 */
export const GOOGLE_USAGE = {
  promptTokenCount: 40,
  cachedContentTokenCount: 16,
  candidatesTokenCount: 6,
  thoughtsTokenCount: 2,
  totalTokenCount: 48,
};

function chunk(model: string, text: string, done: boolean) {
  return {
    candidates: [{ content: { parts: [{ text }], role: "model" }, index: 0, ...(done ? { finishReason: "STOP" } : {}) }],
    // Gemini sends running usage in every chunk; the last one is final.
    usageMetadata: done
      ? GOOGLE_USAGE
      : { promptTokenCount: GOOGLE_USAGE.promptTokenCount, totalTokenCount: GOOGLE_USAGE.promptTokenCount },
    modelVersion: `${model}-001`,
    responseId: "resp-g1",
  };
}

function generate(req: Received, res: ServerResponse, model: string, stream: boolean): void {
  if (!stream) return json(res, 200, chunk(model, REPLY.join(""), true));
  const last = REPLY.length - 1;
  sse(
    res,
    REPLY.map((t, i) => ({ data: chunk(model, t, i === last) })),
    streamMode(model, 0),
    "\r\n\r\n",
  );
}

/** Starts the server; clients use `httpOptions: { baseUrl: url }`. */
export function startGoogleServer(): Promise<Loopback> {
  return startLoopback((req, res) => {
    const match = /^\/v1\w*\/models\/([^:/?]+):(generateContent|streamGenerateContent)/.exec(req.path);
    if (!match) return json(res, 404, { error: { code: 404, message: `no route ${req.path}`, status: "NOT_FOUND" } });
    const model = decodeURIComponent(match[1]);
    if (model.startsWith("error-")) {
      return json(res, 400, {
        error: { code: 400, message: `models/${model} is not found for API version v1beta`, status: "INVALID_ARGUMENT" },
      });
    }
    generate(req, res, model, match[2] === "streamGenerateContent");
  });
}
