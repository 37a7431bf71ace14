import type { ServerResponse } from "node:http";
import { json, REPLY, sse, startLoopback, streamMode, type Loopback, type Received, type SseEvent } from "./loopback.js";

/**
 * A loopback server speaking the OpenAI HTTP API (chat completions, responses, embeddings,
 * images), or, with `together`, Together's variant of chat completions. Models named
 * `error-…` get a 400 error, `cut-…`/`hold-…` streams stop midway (see `streamMode`).
 */
export interface OpenAIServerOptions {
  /** Together sends usage in the last chunk unasked, and knows no `stream_options`. */
  together?: boolean;
}

const CREATED = 1_700_000_000;
const USAGE = {
  prompt_tokens: 20,
  completion_tokens: 5,
  total_tokens: 25,
  prompt_tokens_details: { cached_tokens: 8 },
  completion_tokens_details: { reasoning_tokens: 0 },
};
const TOGETHER_USAGE = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };

/** The served model: a dated snapshot of the requested one, as OpenAI answers. */
function servedModel(model: unknown, together: boolean): string {
  const name = String(model);
  return together || /\d{4}-\d{2}-\d{2}$/.test(name) ? name : `${name}-2024-07-18`;
}

function error(res: ServerResponse, message: string): void {
  json(res, 400, { error: { message, type: "invalid_request_error", param: "model", code: "model_not_found" } });
}

function replyText(body: Record<string, unknown>): string[] {
  return body.response_format ? ['{"answer":', '"hi"}'] : REPLY;
}

function chatCompletions(req: Received, res: ServerResponse, together: boolean): void {
  const { body } = req;
  const model = servedModel(body.model, together);
  const usage = together ? TOGETHER_USAGE : USAGE;
  const text = replyText(body);
  if (!body.stream) {
    return json(res, 200, {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: CREATED,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text.join(""), refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage,
      system_fingerprint: "fp_loopback",
    });
  }
  const withUsage = !together && (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const chunk = (delta: object, finish: string | null, extra: object = {}) => ({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    system_fingerprint: "fp_loopback",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: null } : {}),
    ...extra,
  });
  const events: SseEvent[] = [
    { data: chunk({ role: "assistant", content: "" }, null) },
    ...text.map((t) => ({ data: chunk({ content: t }, null) })),
    { data: chunk({}, "stop", together ? { usage } : {}) },
  ];
  if (withUsage)
    events.push({
      data: {
        id: "chatcmpl-1",
        object: "chat.completion.chunk",
        created: CREATED,
        model,
        system_fingerprint: "fp_loopback",
        choices: [],
        usage,
      },
    });
  events.push({ data: "[DONE]" });
  sse(res, events, streamMode(body.model, 1));
}

function responses(req: Received, res: ServerResponse): void {
  const { body } = req;
  const model = servedModel(body.model, false);
  const text = REPLY.join("");
  const response = (status: string, done: boolean) => ({
    id: "resp_1",
    object: "response",
    created_at: CREATED,
    status,
    model,
    output: done
      ? [
          {
            id: "msg_1",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text, annotations: [] }],
          },
        ]
      : [],
    usage: done
      ? {
          input_tokens: 30,
          input_tokens_details: { cached_tokens: 10 },
          output_tokens: 6,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 36,
        }
      : null,
  });
  if (!body.stream) return json(res, 200, response("completed", true));
  let seq = 0;
  const event = (type: string, data: object): SseEvent => ({ event: type, data: { type, sequence_number: seq++, ...data } });
  sse(
    res,
    [
      event("response.created", { response: response("in_progress", false) }),
      ...REPLY.map((delta) => event("response.output_text.delta", { item_id: "msg_1", output_index: 0, content_index: 0, delta })),
      event("response.output_text.done", { item_id: "msg_1", output_index: 0, content_index: 0, text }),
      event("response.completed", { response: response("completed", true) }),
    ],
    streamMode(body.model, 1),
  );
}

function embeddings(req: Received, res: ServerResponse): void {
  const inputs = Array.isArray(req.body.input) ? req.body.input : [req.body.input];
  const vector = [0.5, -0.25, 0.125, 1];
  const encode = (v: number[]) => (req.body.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v);
  json(res, 200, {
    object: "list",
    model: req.body.model,
    data: inputs.map((_, index) => ({ object: "embedding", index, embedding: encode(vector) })),
    usage: { prompt_tokens: 7, total_tokens: 7 },
  });
}

/** A 1 KiB "image". */
export const IMAGE_BYTES = 1024;

function images(req: Received, res: ServerResponse): void {
  const n = typeof req.body.n === "number" ? req.body.n : 1;
  json(res, 200, {
    created: CREATED,
    data: Array.from({ length: n }, (_, i) => ({
      b64_json: Buffer.alloc(IMAGE_BYTES, i + 1).toString("base64"),
      revised_prompt: "a loopback",
    })),
    usage: { input_tokens: 10, input_tokens_details: { text_tokens: 10, image_tokens: 0 }, output_tokens: 272, total_tokens: 282 },
  });
}

/** Starts the server; clients use `${url}/v1` as their base URL. */
export function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<Loopback> {
  const together = options.together === true;
  return startLoopback((req, res) => {
    if (String(req.body.model).startsWith("error-")) return error(res, `The model \`${String(req.body.model)}\` does not exist`);
    const path = req.path.split("?")[0];
    if (path === "/v1/chat/completions") return chatCompletions(req, res, together);
    if (!together && path === "/v1/responses") return responses(req, res);
    if (path === "/v1/embeddings") return embeddings(req, res);
    if (!together && path === "/v1/images/generations") return images(req, res);
    json(res, 404, { error: { message: `no route ${req.method} ${path}` } });
  });
}
