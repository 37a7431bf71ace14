import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server received it. */
export interface Received {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** Answers one request; `body` is the parsed JSON body (empty object when none). */
export type Handler = (req: Received, res: ServerResponse) => void;

/** A running loopback provider server. */
export interface Loopback {
  url: string;
  /** Every request received, oldest first. */
  requests: Received[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Starts `handler` on a free loopback port. */
export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const received = { method: req.method ?? "GET", path: req.url ?? "/", body };
        requests.push(received);
        handler(received, res);
      },
      () => json(res, 400, { error: { message: "bad json" } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": "req_loopback" });
  res.end(text);
}

/** One server-sent event: `data` is JSON-encoded unless it is a string. */
export interface SseEvent {
  event?: string;
  data: unknown;
}

/**
 * How a stream ends: `complete` normally; `cut` drops the connection after `after` events
 * (a stream cut off midway); `hold` keeps it open after `after` events, until the client leaves.
 */
export type StreamMode = { kind: "complete" } | { kind: "cut"; after: number } | { kind: "hold"; after: number };

export function sse(res: ServerResponse, events: SseEvent[], mode: StreamMode = { kind: "complete" }, separator = "\n\n"): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-request-id": "req_loopback" });
  const count = mode.kind === "complete" ? events.length : Math.min(mode.after, events.length);
  let text = "";
  for (const e of events.slice(0, count)) {
    const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
    text += (e.event ? `event: ${e.event}\n` : "") + `data: ${data}${separator}`;
  }
  if (mode.kind === "complete") return void res.end(text);
  // Destroying once the write is flushed makes the client see the first events, then a
  // connection dropped in the middle of the chunked body.
  res.write(text, () => mode.kind === "cut" && res.destroy());
}

/** The stream ending a test model asks for: `cut-…` and `hold-…` models stop after two content events. */
export function streamMode(model: unknown, firstContentEvent: number): StreamMode {
  if (typeof model !== "string") return { kind: "complete" };
  if (model.startsWith("cut-")) return { kind: "cut", after: firstContentEvent + 2 };
  if (model.startsWith("hold-")) return { kind: "hold", after: firstContentEvent + 2 };
  return { kind: "complete" };
}

/** The text every loopback model answers, in the pieces it streams. */
export const REPLY = ["Hello", " from", " loopback", "!"];
