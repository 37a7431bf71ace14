import type { ServerResponse } from "node:http";
import { json, REPLY, sse, startLoopback, streamMode, type Loopback, type Received, type SseEvent } from "./loopback.js";

/**
 * A loopback server speaking the Anthropic Messages API (`POST /v1/messages`, JSON and SSE).
 * Usage includes prompt-cache reads and writes. Models named `error-…` get a 400 error,
 * `cut-…`/`hold-…` streams stop midway.
 */
export const ANTHROPIC_USAGE = { input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 200, output_tokens: 7 };

function message(model: string, content: object[], usage: object, stopReason: string | null) {
  return { id: "msg_1", type: "message", role: "assistant", model, content, stop_reason: stopReason, stop_sequence: null, usage };
}

function messages(req: Received, res: ServerResponse): void {
  const model = String(req.body.model);
  const text = REPLY.join("");
  if (!req.body.stream) return json(res, 200, message(model, [{ type: "text", text }], ANTHROPIC_USAGE, "end_turn"));
  const event = (type: string, data: object): SseEvent => ({ event: type, data: { type, ...data } });
  const { output_tokens: _output, ...inputUsage } = ANTHROPIC_USAGE;
  sse(
    res,
    [
      event("message_start", { message: message(model, [], { ...inputUsage, output_tokens: 1 }, null) }),
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
      event("ping", {}),
      ...REPLY.map((t) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text: t } })),
      event("content_block_stop", { index: 0 }),
      event("message_delta", {
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: ANTHROPIC_USAGE.output_tokens },
      }),
      event("message_stop", {}),
    ],
    streamMode(model, 3),
  );
}

/** Starts the server; clients use `url` as their base URL. */
export function startAnthropicServer(): Promise<Loopback> {
  return startLoopback((req, res) => {
    if (String(req.body.model).startsWith("error-")) {
      return json(res, 400, {
        type: "error",
        error: { type: "invalid_request_error", message: `model: ${String(req.body.model)} not found` },
      });
    }
    if (req.path.split("?")[0] === "/v1/messages") return messages(req, res);
    json(res, 404, { type: "error", error: { type: "not_found_error", message: "Not found" } });
  });
}
