import type { ExportResult, ReadableSpan } from "../otel/sdk.js";

/**
 * How the pipeline reaches the network and the disk: the one seam between the Node build and the
 * edge build (Cloudflare Workers, Vercel Edge). Everything else — the processor, the batcher, the
 * encoder, retries — is shared; the composition root picks the transport (tracer/platform.ts).
 */

/** A response, read to its end. */
export interface HttpResponse {
  status: number;
  ok: boolean;
  body: string;
}

/**
 * POSTs `body` to `url`; rejects on a network error or when `timeoutMillis` passes. Untraced:
 * HTTP instrumentations make no span of it and it carries no trace context.
 */
export type Post = (url: URL, headers: Record<string, string>, body: string | Uint8Array, timeoutMillis: number) => Promise<HttpResponse>;

/** Sends encoded span batches to one OTLP endpoint. */
export interface SpanSender {
  /** Encodes `spans` (throws synchronously when they cannot be) and sends them; `done` gets the outcome. */
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void;
  /** Settles when every batch handed over has been answered. */
  forceFlush(): Promise<void>;
  /** Cuts what is still in flight. */
  shutdown(): Promise<void>;
}

/** Export requests kept on disk for later delivery (spool.ts, Node only). */
export interface SpanSpool {
  /** The most request bytes it holds, for messages. */
  readonly quotaBytes: number;
  /** Whether it is usable and has room for `bytes` more. */
  hasRoom(bytes?: number): boolean;
  /** Writes one request body synchronously; false when it could not. Never throws. */
  write(body: Uint8Array): boolean;
  /** Settles when no drain is running. */
  idle(): Promise<void>;
  /** Re-sends what it holds with `send`, in order; true when it got through everything. */
  drain(send: (body: Uint8Array) => Promise<boolean>): Promise<boolean>;
}

/** Where the sender sends and as whom. */
export interface SenderTarget {
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
}

/** The network (and, on Node, the disk) as the pipeline uses them. */
export interface Transport {
  /** The Judgment API calls besides span export (project resolution, tags, spool re-sends). */
  readonly post: Post;
  /** The OTLP/protobuf span sender to `target`, or undefined when it could not be loaded. */
  spanSender(target: SenderTarget): SpanSender | undefined;
  /**
   * Opens the spool of `projectId` in `dir`, where the runtime has a disk; absent on the edge,
   * where a `spoolDir` is ignored (with a warning at init).
   */
  readonly openSpool?: (dir: string, path: string, projectId: string) => SpanSpool | undefined;
}
