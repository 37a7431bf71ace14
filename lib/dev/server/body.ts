import type { IncomingMessage } from "node:http";
import { gunzip, inflate } from "node:zlib";
import { header, HttpError } from "./http-util.js";

/** Largest request body accepted, compressed or not: 10 MiB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A request body as read off the socket, and its size there. */
export interface ReadBody {
  /** The body after removing any `Content-Encoding`. */
  data: Buffer;
  /** Bytes received on the wire. */
  wireBytes: number;
  /** The body as received, still encoded. */
  raw: Buffer;
}

/**
 * Reads a request body of at most `limit` bytes. A declared `Content-Length`
 * over the limit is refused before reading anything; an undeclared one stops
 * being read as soon as it passes the limit. Decompresses gzip and deflate,
 * holding the output to the same limit so a small bomb cannot expand.
 * @throws HttpError 413 when too large, 400 when the encoding is corrupt, 415
 *   for an unsupported encoding.
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody> {
  const declared = Number(header(req, "content-length") ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const raw = await collect(req, limit);
  const encoding = (header(req, "content-encoding") ?? "identity").trim().toLowerCase();
  return { data: await decode(raw, encoding, limit), wireBytes: raw.length, raw };
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body exceeds ${limit} bytes`);
}

function collect(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new HttpError(400, `request body could not be read: ${err.message}`));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function decode(raw: Buffer, encoding: string, limit: number): Promise<Buffer> {
  if (encoding === "identity" || encoding === "") return Promise.resolve(raw);
  const inflater = encoding === "gzip" || encoding === "x-gzip" ? gunzip : encoding === "deflate" ? inflate : undefined;
  if (!inflater) return Promise.reject(new HttpError(415, `unsupported content-encoding: ${encoding}`));
  return new Promise((resolve, reject) => {
    inflater(raw, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve(out);
      const code = (err as NodeJS.ErrnoException).code;
      reject(code === "ERR_BUFFER_TOO_LARGE" ? tooLarge(limit) : new HttpError(400, `corrupt ${encoding} body: ${err.message}`));
    });
  });
}
