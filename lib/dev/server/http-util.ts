import type { IncomingMessage, ServerResponse } from "node:http";
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

/**
 * Items serialized per step by {@link sendJsonStreamed}, however many a read yields at once: with ten large answers at
 * a time, slices of 1,000 took a third longer to serve than slices of 250.
 */
const ITEMS_PER_SLICE = 250;

/**
 * Answers 200 with one JSON object written as it is read: `head`'s members, then the array `field`, whose items `read`
 * yields a step at a time among the other sliced reads (see {@link runStepsSliced}), then the members that `tail` makes
 * of what `read` returns. However large the answer, it neither holds the event loop nor sits in memory whole. Resolves
 * false when the client left before the end.
 */
export function sendJsonStreamed<R>(
  res: ServerResponse,
  head: object,
  field: string,
  read: Generator<readonly unknown[], R, void>,
  tail: (result: R) => object,
): Promise<boolean> {
  const open = JSON.stringify(head).slice(0, -1);
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.write(`${open}${open.length > 1 ? "," : ""}${JSON.stringify(field)}:[`);
  return runStepsSliced(
    (function* (): SteppedRead<boolean> {
      let separator = "";
      for (;;) {
        if (res.destroyed) return false;
        const step = read.next();
        if (step.done) {
          const close = JSON.stringify(tail(step.value)).slice(1);
          res.end(`]${close.length > 1 ? "," : ""}${close}`);
          return true;
        }
        for (let i = 0; i < step.value.length && !res.destroyed; i += ITEMS_PER_SLICE) {
          if (i > 0) yield;
          res.write(separator + JSON.stringify(step.value.slice(i, i + ITEMS_PER_SLICE)).slice(1, -1));
          separator = ",";
        }
        yield;
      }
    })(),
  );
}

/**
 * Answers 200 with `body` as JSON, the array `body[field]` written {@link ITEMS_PER_SLICE} items a step (see
 * {@link sendJsonStreamed}): the same text as {@link sendJson}, without holding the event loop to serialize thousands
 * of items at once.
 */
export async function sendJsonSliced<T extends object>(res: ServerResponse, body: T, field: keyof T & string): Promise<void> {
  const members = Object.entries(body);
  const at = members.findIndex(([name]) => name === field);
  const items = body[field] as unknown[];
  await sendJsonStreamed(
    res,
    Object.fromEntries(members.slice(0, at)),
    field,
    (function* () {
      yield items;
    })(),
    () => Object.fromEntries(members.slice(at + 1)),
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
