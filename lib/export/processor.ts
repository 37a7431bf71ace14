import { TraceFlags, propagation, type Attributes, type Context } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Keys } from "../observing/keys.js";
import { log } from "../util/log.js";
import { inheritPropagated } from "../context/propagated.js";
import { capAttributes, MAX_BATCH_BYTES, spanOverhead } from "./limits.js";
import { snapshot } from "./snapshot.js";

/** Batching, partial-emit and privacy settings of {@link JudgmentSpanProcessor}. */
export interface JudgmentProcessorOptions {
  /** Export snapshots of spans still open when an export happens (live tracer only). */
  partialEmits: boolean;
  scheduledDelayMillis: number;
  /** Spans held at most, buffered or being delivered; more are dropped and counted. */
  maxQueueSize: number;
  maxExportBatchSize: number;
  /** Cap in UTF-8 bytes of one string attribute value. */
  maxAttributeBytes: number;
  /** Rewrites attributes before export (mask, no inputs/outputs). */
  redact?: (attributes: Attributes) => void;
}

/** The exporter side the processor drives; `wake` retries batches waiting between attempts. */
export interface WakeableExporter extends SpanExporter {
  wake?(final?: boolean): void;
  hasWaiting?(): boolean;
}

/** At most one overflow warning per this many ms. */
const DROP_REPORT_INTERVAL = 10000;

/** Partial emits made so far for a span; its final copy carries the next number. */
const EMITTED = Symbol("judgeval.partialEmits");
type Tracked = Span & { [EMITTED]?: number };
/** Estimated encoded size of a queued span, for cutting batches the backend will accept. */
const SIZE = Symbol("judgeval.size");
type Sized = ReadableSpan & { [SIZE]?: number };

/**
 * Batches ended spans for the exporter. On the live tracer every export also carries a snapshot
 * of each span that is still open, so a viewer shows long-running work; a span that ends before
 * the next export goes out once, with `judgment.update_id` 0.
 */
export class JudgmentSpanProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private readonly open = new Set<Tracked>();
  /** Open spans no export has shown yet: they alone are worth a timer tick. */
  private unseen = 0;
  private readonly inFlight = new Set<Promise<boolean>>();
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;
  /** Spans handed to the exporter and not yet settled: they count against the queue bound. */
  private delivering = 0;
  private dropped = 0;
  private lastDropReport = 0;
  private stopped = false;

  constructor(
    private readonly exporter: WakeableExporter,
    private readonly options: JudgmentProcessorOptions,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (baggage) for (const [key, entry] of baggage.getAllEntries()) span.setAttribute(key, entry.value);
    inheritPropagated(span, parentContext);
    this.open.add(span);
    if (this.options.partialEmits) {
      this.unseen++;
      this.arm();
    }
  }

  onEnd(span: ReadableSpan): void {
    const tracked = span as Tracked;
    if (this.open.delete(tracked) && this.options.partialEmits && tracked[EMITTED] === undefined) this.unseen--;
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length + this.delivering >= this.options.maxQueueSize) {
      this.dropped++;
      return;
    }
    (span.attributes as Attributes)[Keys.updateId] = tracked[EMITTED] ?? 0;
    this.prepare(span);
    this.queue.push(span);
    if (this.queue.length >= this.options.maxExportBatchSize) this.exportSoon();
    else this.arm();
  }

  /** Whether `span` was started under this processor and has not ended. */
  isOpen(span: unknown): boolean {
    return this.open.has(span as Tracked);
  }

  /** Ended spans wait in the buffer or for a retry (open spans don't count: they may never end). */
  hasPending(): boolean {
    return this.queue.length > 0 || this.exporter.hasWaiting?.() === true;
  }

  /** Exports everything buffered (and snapshots of open spans); true when all of it was delivered. */
  async forceFlush(): Promise<void> {
    await this.flush();
  }

  /**
   * Like {@link forceFlush}, reporting whether every export it waited for succeeded. Batches
   * waiting for a retry are tried now; with `final` (exit, shutdown) for the last time.
   */
  async flush(final = false): Promise<boolean> {
    this.exportNow();
    this.exporter.wake?.(final);
    const results = await Promise.all([...this.inFlight]);
    return results.every(Boolean);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await this.flush(true);
    this.stopped = true;
    clearTimeout(this.timer);
    await this.exporter.shutdown();
  }

  /**
   * Readies a span for export, in place: the privacy rewrite and the size cap on its attributes,
   * its events' (an exception message too) and its status message; notes its size.
   */
  private prepare(span: ReadableSpan): void {
    const { redact, maxAttributeBytes } = this.options;
    const finish = (attributes: Attributes) => {
      redact?.(attributes);
      return capAttributes(attributes, maxAttributeBytes);
    };
    let size = spanOverhead(span.name) + finish(span.attributes as Attributes);
    for (const event of span.events) if (event.attributes) size += finish(event.attributes as Attributes);
    const status = span.status as { message?: string };
    if (status.message) {
      const holder: Attributes = { "otel.status_description": status.message };
      size += finish(holder);
      status.message = holder["otel.status_description"] as string | undefined;
    }
    (span as Sized)[SIZE] = size;
  }

  private arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.exportNow();
      if (this.queue.length > 0 || this.unseen > 0) this.arm();
    }, this.options.scheduledDelayMillis);
    this.timer.unref();
  }

  /** Batch is full: export off the caller's stack, without waiting for the timer. */
  private exportSoon(): void {
    if (this.immediate) return;
    this.immediate = true;
    setImmediate(() => {
      this.immediate = false;
      this.exportNow();
    });
  }

  private exportNow(): void {
    this.reportDropped();
    const batch = this.queue;
    this.queue = [];
    if (this.options.partialEmits) {
      for (const span of this.open) {
        const emitted = span[EMITTED] ?? 0;
        if (span[EMITTED] === undefined) this.unseen--;
        span[EMITTED] = emitted + 1;
        const copy = snapshot(span, emitted);
        this.prepare(copy);
        batch.push(copy);
      }
    }
    this.sendInBatches(batch);
  }

  /** Cuts `spans` into requests of at most `maxExportBatchSize` spans and {@link MAX_BATCH_BYTES}. */
  private sendInBatches(spans: ReadableSpan[]): void {
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < spans.length; i++) {
      const size = (spans[i] as Sized)[SIZE] ?? 0;
      if (i > start && (i - start >= this.options.maxExportBatchSize || bytes + size > MAX_BATCH_BYTES)) {
        this.send(spans.slice(start, i));
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < spans.length) this.send(start === 0 ? spans : spans.slice(start));
  }

  private send(spans: ReadableSpan[]): void {
    this.delivering += spans.length;
    const done = new Promise<boolean>((resolve) => {
      try {
        this.exporter.export(spans, (result) => resolve(result.code === ExportResultCode.SUCCESS));
      } catch {
        resolve(false);
      }
    });
    this.inFlight.add(done);
    void done.then(() => {
      this.inFlight.delete(done);
      this.delivering -= spans.length;
    });
  }

  private reportDropped(): void {
    const now = Date.now();
    if (this.dropped === 0 || now - this.lastDropReport < DROP_REPORT_INTERVAL) return;
    log.warn(`dropped ${this.dropped} spans: the export queue was full (maxQueueSize ${this.options.maxQueueSize}).`);
    this.dropped = 0;
    this.lastDropReport = now;
  }
}
