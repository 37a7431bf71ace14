import type { ServerResponse } from "node:http";
import { json, sse, startLoopback, type Loopback, type Received, type SseEvent } from "../../llm/servers/loopback.js";

/** A queued HTTP error instead of a response. */
export interface ReplayError {
  status: number;
  error: { message: string; type: string; code?: string };
}

type Recorded = Record<string, unknown>;

/**
 * A loopback server speaking the OpenAI HTTP API that answers each chat-completions or
 * responses request with the next queued recording (as JSON, or as the equivalent server-sent
 * events when the request streams). An empty queue or a recording of the other API is a 500,
 * so a test that makes an unexpected call fails visibly.
 */
export interface ReplayServer extends Loopback {
  /** Queues recordings (or errors), answered in order. */
  play(...items: Array<Recorded | ReplayError>): void;
  /** Recordings not yet served. */
  pending(): number;
  /** Drops what was not served. */
  clear(): void;
}

function isError(item: Recorded | ReplayError): item is ReplayError {
  return typeof item.status === "number" && typeof item.error === "object";
}

function chatEvents(rec: Recorded, withUsage: boolean): SseEvent[] {
  const { id, created, model, system_fingerprint } = rec;
  const choice = (rec.choices as Array<{ message: Recorded; finish_reason: string }>)[0];
  const chunk = (delta: object, finish: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    system_fingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: null } : {}),
  });
  const { content, tool_calls } = choice.message as { content: string | null; tool_calls?: Array<Recorded> };
  const events: SseEvent[] = [{ data: chunk({ role: "assistant", content: content === null ? null : "" }, null) }];
  if (content) events.push({ data: chunk({ content }, null) });
  tool_calls?.forEach((call, index) => events.push({ data: chunk({ tool_calls: [{ index, ...call }] }, null) }));
  events.push({ data: chunk({}, choice.finish_reason) });
  if (withUsage)
    events.push({ data: { id, object: "chat.completion.chunk", created, model, system_fingerprint, choices: [], usage: rec.usage } });
  events.push({ data: "[DONE]" });
  return events;
}

function responseEvents(rec: Recorded): SseEvent[] {
  let seq = 0;
  const event = (type: string, data: object): SseEvent => ({ event: type, data: { type, sequence_number: seq++, ...data } });
  const output = rec.output as Recorded[];
  return [
    event("response.created", { response: { ...rec, status: "in_progress", output: [], usage: null } }),
    ...output.flatMap((item, output_index) => [
      event("response.output_item.added", { output_index, item: { ...item, status: "in_progress" } }),
      // A message's text also arrives as deltas, which text streams are built from.
      ...((item.content as Array<{ type: string; text?: string }> | undefined) ?? [])
        .filter((part) => part.type === "output_text")
        .map((part, content_index) =>
          event("response.output_text.delta", { item_id: item.id, output_index, content_index, delta: part.text }),
        ),
      event("response.output_item.done", { output_index, item }),
    ]),
    event("response.completed", { response: rec }),
  ];
}

function serve(req: Received, res: ServerResponse, item: Recorded | ReplayError | undefined): void {
  if (!item) return json(res, 500, { error: { message: `replay: nothing queued for ${req.path}`, type: "server_error" } });
  if (isError(item)) return json(res, item.status, { error: item.error });
  const chat = req.path.startsWith("/v1/chat/completions");
  if (chat !== (item.object === "chat.completion")) {
    return json(res, 500, { error: { message: `replay: ${req.path} got a recording of the other API`, type: "server_error" } });
  }
  if (!req.body.stream) return json(res, 200, item);
  const includeUsage = (req.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  sse(res, chat ? chatEvents(item, includeUsage) : responseEvents(item));
}

export async function startReplayServer(): Promise<ReplayServer> {
  const queue: Array<Recorded | ReplayError> = [];
  const loopback = await startLoopback((req, res) => {
    const path = req.path.split("?")[0];
    if (path !== "/v1/chat/completions" && path !== "/v1/responses") return json(res, 404, { error: { message: `no route ${path}` } });
    serve(req, res, queue.shift());
  });
  return {
    ...loopback,
    play: (...items) => void queue.push(...items),
    pending: () => queue.length,
    clear: () => void queue.splice(0),
  };
}

/** After a test: fails when an answer `play` queued was never asked for, and empties the queue for the next test. */
export function expectAllPlayed(server: ReplayServer): void {
  const left = server.pending();
  server.clear();
  expect(left).toBe(0);
}
