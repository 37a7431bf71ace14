import type { ServerResponse } from "node:http";
import { json, sse, startLoopback, type Loopback, type SseEvent } from "../../llm/servers/loopback.js";

/** A recorded Messages API response (the non-streamed `Message` object), or an error the API returned. */
type Recorded = Record<string, unknown> | { status: number; body: Record<string, unknown> };

/** One conversation: told by the text of its first user message, answered turn by turn. */
export interface Conversation {
  firstUser: string;
  turns: Recorded[];
}

/**
 * A loopback Anthropic Messages API (`POST /v1/messages`, streamed as server-sent events) that
 * replays recorded conversations by turn: a request belongs to the conversation whose
 * `firstUser` text its first user message contains (the CLI adds reminders around it), and
 * gets that conversation's turn numbered by the assistant messages already in the request.
 * Request bodies carry dates, paths and session ids, so they are never compared whole.
 * `{{dir}}` in a recording is replaced with `dir`; a recording with `"hold": true` streams
 * its start and then nothing more. Anything unmatched is a 500.
 */
export async function startMessagesReplay(conversations: Conversation[], dir: string): Promise<Loopback> {
  return startLoopback((req, res) => {
    if (req.method !== "POST" || req.path.split("?")[0] !== "/v1/messages") {
      return json(res, 404, { type: "error", error: { type: "not_found_error", message: `no route ${req.path}` } });
    }
    const messages = Array.isArray(req.body.messages) ? (req.body.messages as Array<{ role: string; content: unknown }>) : [];
    const first = textOf(messages.find((m) => m.role === "user")?.content);
    const conversation = conversations.find((c) => first.includes(c.firstUser));
    const turn = messages.filter((m) => m.role === "assistant").length;
    const recorded = conversation?.turns[turn];
    if (!recorded) {
      return json(res, 500, { type: "error", error: { type: "api_error", message: `replay: no turn ${turn} for ${first.slice(0, 80)}` } });
    }
    const filled = JSON.parse(JSON.stringify(recorded).replaceAll("{{dir}}", dir)) as Recorded;
    if (typeof filled.status === "number") return json(res, filled.status, filled.body);
    const { hold, ...message } = filled as Record<string, unknown>;
    stream(res, message, hold === true);
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b: { type?: string; text?: string }) => (b.type === "text" ? (b.text ?? "") : "")).join("\n");
}

/**
 * The events the Messages API streams for `message`: its blocks, then the final usage. With
 * `hold`, the stream stops after the first block's first delta and stays open (a response in
 * progress, until the client leaves).
 */
function stream(res: ServerResponse, message: Record<string, unknown>, hold: boolean): void {
  const event = (type: string, data: object): SseEvent => ({ event: type, data: { type, ...data } });
  const usage = message.usage as Record<string, number>;
  const blocks = message.content as Array<Record<string, unknown>>;
  const events: SseEvent[] = [
    event("message_start", {
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    }),
    event("ping", {}),
  ];
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      events.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
      events.push(event("content_block_delta", { index, delta: { type: "text_delta", text: block.text } }));
    } else {
      events.push(event("content_block_start", { index, content_block: { ...block, input: {} } }));
      events.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } }));
    }
    events.push(event("content_block_stop", { index }));
  });
  events.push(
    event("message_delta", {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    }),
    event("message_stop", {}),
  );
  sse(res, events, hold ? { kind: "hold", after: 4 } : { kind: "complete" });
}
