import { lazy } from "../diag/lazy.js";
import type * as Http from "./http.js";
import type * as Encoding from "./encode/serializer.js";
import type * as KeepAlive from "./keep-alive.js";
import type * as Spooling from "./spool.js";
import type { Post, SpanSender, Transport } from "./transport.js";

/**
 * The Node build's transport: Node's HTTP client for the API calls, OpenTelemetry's OTLP/HTTP
 * transport over a keep-alive agent of our own for spans, the spool on disk. Each part loads on
 * first use (the HTTP client with the first API call, after `Tracer.init` has returned).
 */

const httpClient = lazy("the HTTP client", () => require("./http.js") as typeof Http);
const encoding = lazy("the OTLP span encoder", () => require("./encode/serializer.js") as typeof Encoding);
const keepAlive = lazy("the HTTP agent", () => require("./keep-alive.js") as typeof KeepAlive);
const spooling = lazy("the spool", () => require("./spool.js") as typeof Spooling);

const post: Post = (url, headers, body, timeoutMillis) => {
  const client = httpClient();
  if (!client) return Promise.reject(new Error("the HTTP client could not be loaded"));
  return client.post(url, headers, body, timeoutMillis);
};

export const nodeTransport: Transport = {
  post,
  spanSender({ url, headers, timeoutMillis }): SpanSender | undefined {
    const encoder = encoding();
    if (!encoder) return undefined;
    // An agent of our own, so shutdown can cut a request a hanging backend never answers.
    const agent = keepAlive()?.keepAliveAgent(url);
    const otlp = encoder.createTraceExporter({
      url,
      headers,
      timeoutMillis,
      // without our agent (the HTTP client failed to load), the OTLP transport uses its own
      httpAgentOptions: agent && (() => agent),
    });
    return {
      export: (spans, done) => otlp.export(spans, done),
      forceFlush: () => otlp.forceFlush(),
      shutdown: async () => {
        agent?.destroy();
        await otlp.shutdown();
      },
    };
  },
  openSpool(dir, path, projectId) {
    const spool = spooling();
    return spool && new spool.Spool(dir, path, projectId);
  },
};
