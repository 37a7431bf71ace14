import { ExportResultCode, type ExportResult, type ReadableSpan } from "../otel/sdk.js";
import { lazy } from "../diag/lazy.js";
import type * as Encoding from "./encode/trace-request.js";
import type { HttpResponse, Post, SenderTarget, SpanSender, Transport } from "./transport.js";
import { untraced } from "./untraced.js";

/**
 * The edge build's transport: `fetch`, the one HTTP client Cloudflare Workers and the Vercel Edge
 * runtime have. Spans go as OTLP/protobuf, encoded by the same encoder as on Node, with the same
 * headers; there is no disk, so no spool.
 */

/** `fetch` takes bytes as a body; its declared type (of the DOM or undici) varies with the type library. */
type FetchBody = NonNullable<NonNullable<Parameters<typeof fetch>[1]>["body"]>;

// The encoder loads with the first batch (the Node build, whose default this is not, never loads it).
const encoding = lazy("the OTLP span encoder", () => require("./encode/trace-request.js") as typeof Encoding);

/** POSTs through `fetch`, aborted after `timeoutMillis`. */
const post: Post = async (url, headers, body, timeoutMillis): Promise<HttpResponse> => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMillis} ms`)), timeoutMillis);
  try {
    const res = await untraced(() => fetch(url, { method: "POST", headers, body: body as FetchBody, signal: abort.signal }));
    const text = await res.text();
    return { status: res.status, ok: res.ok, body: text };
  } finally {
    clearTimeout(timer);
  }
};

/** A failure the exporter's retry reads: the HTTP status as `code`, none for a network error. */
function failed(message: string, code?: number): ExportResult {
  return { code: ExportResultCode.FAILED, error: Object.assign(new Error(message), code === undefined ? {} : { code }) };
}

/** Sends each batch as one request; `forceFlush` waits for those in flight. */
class FetchSpanSender implements SpanSender {
  private encoder: Encoding.TraceRequestEncoder | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly headers: Record<string, string>;

  constructor(private readonly target: SenderTarget) {
    this.headers = { ...target.headers, "Content-Type": "application/x-protobuf" };
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    // Encoded now, on the caller's stack: a batch the encoder refuses throws to the exporter, which singles out the span at fault.
    const Encoder = encoding()?.TraceRequestEncoder;
    if (!Encoder) return done(failed("the OTLP span encoder could not be loaded"));
    this.encoder ??= new Encoder();
    const body = this.encoder.encode(spans);
    const sent = post(new URL(this.target.url), this.headers, body, this.target.timeoutMillis).then(
      (res) => done(res.ok ? { code: ExportResultCode.SUCCESS } : failed(`HTTP ${res.status}`, res.status)),
      (err: unknown) => done(failed(err instanceof Error ? err.message : String(err))),
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

/** `fetch` for everything, no spool. */
export const fetchTransport: Transport = {
  post,
  spanSender: (target) => new FetchSpanSender(target),
};
