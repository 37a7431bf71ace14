import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { runStepsSliced, type SteppedRead } from "../store/stepped-read.js";

/** An error that maps to an HTTP response; thrown by handlers, answered by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Items of a large array serialized per turn of the event loop by {@link sendJsonSliced}. */
const ITEMS_PER_SLICE = 250;
/** Stands for the sliced array in the rest of the body: a value no data can hold. */
const SLICE_MARKER = `\u0000${randomUUID()}`;

/**
 * Answers 200 with `body` as JSON, the array `body[field]` written {@link ITEMS_PER_SLICE} items a step among the other
 * sliced reads (see {@link runStepsSliced}): the same text as {@link sendJson}, without holding the event loop to
 * serialize thousands of items at once.
 */
export function sendJsonSliced<T extends object>(res: ServerResponse, body: T, field: keyof T & string): Promise<void> {
  const items = body[field] as unknown[];
  const [head, tail] = JSON.stringify({ ...body, [field]: SLICE_MARKER }).split(JSON.stringify(SLICE_MARKER));
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.write(`${head}[`);
  return runStepsSliced(
    (function* (): SteppedRead<void> {
      for (let i = 0; i < items.length; i += ITEMS_PER_SLICE) {
        if (res.destroyed) return;
        res.write((i > 0 ? "," : "") + JSON.stringify(items.slice(i, i + ITEMS_PER_SLICE)).slice(1, -1));
        yield;
      }
      res.end(`]${tail}`);
    })(),
  );
}

/** Answers with `{"error": message}`. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, headers);
}

/** A header value as one string (repeated headers joined), or undefined. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** All request headers as a plain record of strings with lowercase names. */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
