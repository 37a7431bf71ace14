import { readFileSync } from "node:fs";
import { join } from "node:path";
import { json, sse, startLoopback, type Loopback, type Received } from "./loopback.js";

const DIR = join(__dirname, "../recordings/openai-responses");

/** A recorded response: the JSON body, and the same response as its stream of events. */
interface Recording {
  body: unknown;
  events: Array<{ type: string }>;
}

function recording(name: string): Recording {
  const body: unknown = JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8"));
  const lines = readFileSync(join(DIR, `${name}.chunks.txt`), "utf8")
    .split("\n")
    .filter((l) => l.trim());
  return { body, events: lines.map((l) => JSON.parse(l) as { type: string }) };
}

/** Whether the request carries a tool's result: the model's next step answers in text. */
function hasToolResult(req: Received): boolean {
  const input = req.body.input;
  return Array.isArray(input) && input.some((item) => (item as { type?: unknown } | null)?.type === "function_call_output");
}

/**
 * A loopback OpenAI Responses API replaying recorded responses of a two-step tool call: the first
 * request gets the recorded `weather` tool call, a request carrying the tool's result gets the
 * recorded text answer; streamed (`stream: true`) or not.
 */
export function startResponsesReplay(): Promise<Loopback> {
  const toolCall = recording("tool-call.1");
  const text = recording("text.1");
  return startLoopback((req, res) => {
    if (req.method !== "POST" || !req.path.endsWith("/responses")) return json(res, 404, { error: { message: `no route ${req.path}` } });
    const { body, events } = hasToolResult(req) ? text : toolCall;
    if (!req.body.stream) return json(res, 200, body);
    sse(
      res,
      events.map((e) => ({ event: e.type, data: e })),
    );
  });
}
