import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FaultQueue } from "./faults.js";
import type { HostCheck } from "./host-check.js";
import { SECURITY_HEADERS } from "./host-check.js";
import { header, headerRecord, HttpError, sendError } from "./http-util.js";
import type { RequestLog } from "./request-log.js";
import { matchRoute, type Route } from "./router.js";
import type { RequestCounters, RequestRecord } from "./types.js";
import { HeaderNames } from "../../wire/headers.js";

/** What the front end needs from the backend. */
export interface HttpFrontEndDeps {
  routes: Route[];
  faults: FaultQueue;
  requestLog: RequestLog;
  counters: RequestCounters;
  apiKey: string;
  organizationId: string;
  hostCheck: HostCheck;
}

/**
 * The socket side of the backend: request logging, routing, fault injection,
 * credential checks and error mapping around the route handlers. Every failure
 * becomes a response; nothing a client sends can throw out of here.
 */
export class HttpFrontEnd {
  private server: Server | undefined;

  constructor(private readonly deps: HttpFrontEndDeps) {}

  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => {
      // Last line of defence: an unhandled rejection would end the process.
      this.handle(req, res).catch(() => res.destroy());
    });
    // Longer than typical client keep-alive, so a pooled socket is rarely closed
    // under a client that is just reusing it (which surfaces as ECONNRESET).
    server.keepAliveTimeout = 30_000;
    server.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      else socket.destroy();
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops listening and drops every open connection, hung requests included. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = this.record(req, res);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    try {
      const url = parseUrl(req.url);
      this.deps.hostCheck.verify(header(req, "host"), header(req, "origin"));
      const match = matchRoute(this.deps.routes, req.method ?? "", url.pathname);
      if ("status" in match) {
        if (match.status === 405) throw new HttpError(405, "method not allowed", { allow: match.allow.join(", ") });
        throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
      }
      const { route, params } = match;
      if (route.wire) {
        const fault = this.deps.faults.take(route.wire);
        if (fault?.kind === "hang") {
          // Take the body so the client finishes sending and then waits on us forever.
          req.resume();
          return;
        }
        if (fault) {
          const retry: Record<string, string> =
            fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
          throw new HttpError(fault.status, "injected fault", retry);
        }
        this.authorize(req);
      }
      await route.handle({
        req,
        res,
        params,
        url,
        noteBodyBytes: (bytes) => {
          record.bodyBytes = bytes;
        },
      });
    } catch (err) {
      this.fail(req, res, err);
    }
  }

  private authorize(req: IncomingMessage): void {
    const auth = header(req, HeaderNames.authorization) ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (!match || match[1] !== this.deps.apiKey) {
      throw new HttpError(401, "missing or invalid API key", { "www-authenticate": "Bearer" });
    }
    if (header(req, HeaderNames.organizationId) !== this.deps.organizationId) {
      throw new HttpError(403, `missing or wrong ${HeaderNames.organizationId}`);
    }
  }

  private record(req: IncomingMessage, res: ServerResponse): RequestRecord {
    const record = this.deps.requestLog.add({
      method: req.method ?? "",
      path: (req.url ?? "").split("?")[0],
      headers: headerRecord(req),
      status: 0,
      bodyBytes: 0,
      receivedAt: Date.now(),
    });
    res.once("finish", () => {
      record.status = res.statusCode;
      if (res.statusCode >= 400) this.deps.counters.rejectedRequests += 1;
      this.deps.requestLog.notify();
    });
    return record;
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const httpError = err instanceof HttpError ? err : new HttpError(500, `internal error: ${String(err)}`);
    const headers = { ...httpError.headers };
    if (!req.complete) {
      // The body was refused unread: close instead of draining up to 10 MB more.
      headers["connection"] = "close";
      res.once("finish", () => req.socket.destroySoon());
    }
    sendError(res, httpError.status, httpError.message, headers);
  }
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? "/", "http://backend.invalid");
  } catch {
    throw new HttpError(400, "malformed request target");
  }
}
