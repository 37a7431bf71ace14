import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from "../otel/sdk.js";
import { lazy } from "../diag/lazy.js";
import { endpoint } from "../wire/paths.js";
import { HeaderNames } from "../wire/headers.js";
import { authHeaders, postToApi, type ApiTarget } from "./judgment-api.js";
import { backoffDelay, DEFAULT_RETRY, isRetryable, type RetryOptions } from "./retry.js";
import { countDropped } from "./drops.js";
import type * as Encoding from "./encode/trace-request.js";
import type { SpanSender, SpanSpool, Transport } from "./transport.js";
import { unref, type Timer } from "../diag/runtime.js";

// The encoder loads once a batch must go to the spool or be checked span by span.
const encoding = lazy("the OTLP span encoder", () => require("./encode/trace-request.js") as typeof Encoding);

type OtlpExporter = SpanSender;

/** What the exporter needs to reach the Judgment API. */
export interface JudgmentExporterOptions extends ApiTarget {
  /** How spans (and spooled batches) reach it: Node's HTTP client, or `fetch` on the edge. */
  transport: Transport;
  /** Endpoint path, e.g. `/otel/v1/traces`. */
  path: string;
  /** Settles with the project id once resolved, or undefined when export is off. */
  projectId: Promise<string | undefined>;
  timeoutMillis: number;
  retry?: RetryOptions;
  /** Directory for batches that could not be delivered; re-sent later, also by a later process. */
  spoolDir?: string;
}

type Done = (result: ExportResult) => void;

/** A batch between two attempts. */
interface Waiting {
  spans: ReadableSpan[];
  done: Done;
  timer: Timer;
  retry: () => void;
}

/** Not delivered yet, but safe on disk: a flush that waited for it still reports it undelivered. */
const SPOOLED: ExportResult = { code: ExportResultCode.FAILED, error: new Error("spooled for later delivery") };

const OFF: ExportResult = { code: ExportResultCode.FAILED, error: new Error("judgeval export is off") };

/**
 * OTLP/HTTP protobuf exporter to a Judgment endpoint, with delivery guarantees on top of the
 * OpenTelemetry exporter's own short retries: a batch that still fails with a retryable error
 * is tried again with exponential backoff, and when its time is up (or the tracer shuts down)
 * it goes to the spool directory, if one is configured, instead of being lost.
 *
 * The project id is only known after resolution, so batches handed over before then wait for it.
 */
export class JudgmentSpanExporter implements SpanExporter {
  private otlp: OtlpExporter | undefined;
  private spool: SpanSpool | undefined;
  private projectId: string | undefined;
  private readonly ready: Promise<OtlpExporter | undefined>;
  private readonly retry: Required<RetryOptions>;
  private readonly waiting = new Set<Waiting>();
  /** Set on shutdown or process exit: one last attempt, then spool or drop. */
  private final = false;

  constructor(readonly options: JudgmentExporterOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.ready = options.projectId.then((projectId) => {
      if (!projectId) return undefined;
      this.projectId = projectId;
      const url = endpoint(options.apiUrl, options.path);
      this.otlp = options.transport.spanSender({ url, headers: this.headers(), timeoutMillis: options.timeoutMillis });
      if (!this.otlp) return undefined;
      if (options.spoolDir) this.spool = options.transport.openSpool?.(options.spoolDir, options.path, projectId);
      if (this.spool) void this.drainSpool();
      return this.otlp;
    });
  }

  export(spans: ReadableSpan[], resultCallback: Done): void {
    const firstAt = Date.now();
    if (this.otlp) return this.attempt(this.otlp, spans, resultCallback, 0, firstAt);
    void this.ready.then((otlp) => {
      if (otlp) return this.attempt(otlp, spans, resultCallback, 0, firstAt);
      countDropped(spans.length, this.projectId ? "the OTLP span encoder could not be loaded" : "the project was never resolved");
      resultCallback(OFF);
    });
  }

  /** Whether spans that do not fit the queue can go to the spool now (one is set, usable, with room). */
  canSpool(): boolean {
    return this.spool?.hasRoom() === true;
  }

  /**
   * Writes `spans` to the spool as one request body, synchronously; false (and the spans counted
   * as dropped) when there is no spool, it is full, or the write failed.
   */
  spoolSpans(spans: ReadableSpan[]): boolean {
    if (!this.spool) return false;
    let body: Uint8Array | undefined;
    try {
      body = encoding() && new (encoding()!.TraceRequestEncoder)().encode(spans);
    } catch {
      body = undefined;
    }
    if (body && this.spool.write(body)) return true;
    countDropped(
      spans.length,
      this.spool.hasRoom(body?.byteLength ?? 0)
        ? "the spool directory could not take them"
        : `the spool directory is full (quota ${this.spool.quotaBytes / 2 ** 20} MiB)`,
    );
    return false;
  }

  /**
   * The process is ending on an uncaught exception: batches waiting for a retry go to the spool
   * now (synchronously), for the next process of the project to deliver.
   */
  spoolWaiting(): void {
    for (const w of [...this.waiting]) {
      clearTimeout(w.timer);
      this.waiting.delete(w);
      if (this.spoolSpans(w.spans)) w.done(SPOOLED);
    }
  }

  /** Batches are waiting for a retry. */
  hasWaiting(): boolean {
    return this.waiting.size > 0;
  }

  /**
   * Retries waiting batches now instead of at their timer. With `final` (process exit, shutdown)
   * this is their last attempt: a failure then spools or drops them rather than waiting again.
   */
  wake(final = false): void {
    this.final ||= final;
    for (const w of [...this.waiting]) {
      clearTimeout(w.timer);
      this.waiting.delete(w);
      w.retry();
    }
  }

  async forceFlush(): Promise<void> {
    this.wake();
    await (await this.ready)?.forceFlush();
    await this.spool?.idle();
  }

  /** Gives waiting batches one last try, then cuts what is still in flight. */
  async shutdown(): Promise<void> {
    this.wake(true);
    const otlp = await this.ready;
    try {
      await otlp?.forceFlush();
      await this.spool?.idle();
    } finally {
      await otlp?.shutdown();
    }
  }

  private headers(): Record<string, string> {
    return { ...authHeaders(this.options.apiKey, this.options.organizationId), [HeaderNames.projectId]: this.projectId! };
  }

  private attempt(otlp: OtlpExporter, spans: ReadableSpan[], done: Done, attempt: number, firstAt: number): void {
    try {
      this.send(otlp, spans, done, attempt, firstAt);
    } catch {
      // The encoder refused the batch: find the span(s) at fault, drop them alone, send the rest.
      const encodable = spans.filter(canEncode);
      // Every span encodes alone yet not together: nothing to single out, the batch goes.
      if (encodable.length === spans.length) encodable.length = 0;
      const dropped = spans.length - encodable.length;
      countDropped(dropped, "it could not be encoded (a malformed span)");
      const failed: ExportResult = { code: ExportResultCode.FAILED, error: new Error(`${dropped} spans could not be encoded`) };
      if (encodable.length === 0) return done(failed);
      // Delivered or not, the batch as handed over was not: the flush that waits for it says so.
      this.attempt(otlp, encodable, (result) => done(result.code === ExportResultCode.SUCCESS ? failed : result), attempt, firstAt);
    }
  }

  private send(otlp: OtlpExporter, spans: ReadableSpan[], done: Done, attempt: number, firstAt: number): void {
    otlp.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        done(result);
        if (this.spool) void this.drainSpool();
        return;
      }
      if (!isRetryable(result.error)) return done(result);
      if (this.final || Date.now() - firstAt >= this.retry.maxElapsedMillis) return this.giveUp(spans, done, result);
      const w: Waiting = {
        spans,
        done,
        retry: () => this.attempt(otlp, spans, done, attempt + 1, firstAt),
        timer: setTimeout(
          () => {
            this.waiting.delete(w);
            w.retry();
          },
          backoffDelay(attempt, this.retry),
        ),
      };
      // Undelivered spans alone don't keep the process alive: the exit flush gives them a last try.
      unref(w.timer);
      this.waiting.add(w);
    });
  }

  private giveUp(spans: ReadableSpan[], done: Done, result: ExportResult): void {
    done(this.spool && this.spoolSpans(spans) ? SPOOLED : result);
  }

  /** Re-sends what the spool holds now; true when there was nothing left to send (or no spool). */
  async resend(): Promise<boolean> {
    return this.spool ? this.drainSpool() : true;
  }

  private drainSpool(): Promise<boolean> {
    return this.spool!.drain(async (body) => {
      try {
        const { path, timeoutMillis } = this.options;
        const res = await postToApi(this.options, path, body, "application/x-protobuf", timeoutMillis, {
          [HeaderNames.projectId]: this.projectId!,
        });
        // A body the backend refuses outright will never go through: drop it rather than block the spool.
        return res.ok || (res.status >= 400 && !isRetryable({ code: res.status }));
      } catch {
        return false;
      }
    });
  }
}

/** Whether the OTLP encoder accepts `span` on its own. */
function canEncode(span: ReadableSpan): boolean {
  try {
    const encoder = encoding();
    return encoder !== undefined && new encoder.TraceRequestEncoder().encode([span]) !== undefined;
  } catch {
    return false;
  }
}
