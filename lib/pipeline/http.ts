import http from "node:http";
import https from "node:https";
import { untraced } from "./untraced.js";
import type { HttpResponse } from "./transport.js";

/**
 * Node's own HTTP client, for the Judgment API calls besides span export. Loaded with the first
 * of them (after `Tracer.init` has returned), not at start-up. Node's client rather than `fetch`:
 * the first `fetch` of a process compiles its whole HTTP stack (about 100 ms). No Node type appears
 * in its signatures: its declarations are reachable from the published types, which compile
 * without @types/node.
 */

/**
 * POSTs `body` to `url`; rejects on a network error or when `timeoutMillis` passes. Untraced:
 * HTTP instrumentations make no span of it and it carries no trace context.
 */
export function post(url: URL, headers: Record<string, string>, body: string | Uint8Array, timeoutMillis: number): Promise<HttpResponse> {
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    untraced(() => {
      const req = send(url, {
        method: "POST",
        headers,
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMillis} ms`)), timeoutMillis);
      timer.unref();
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      req.on("error", fail);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, body: Buffer.concat(chunks).toString("utf8") });
        });
      });
      req.end(body);
    });
  });
}
