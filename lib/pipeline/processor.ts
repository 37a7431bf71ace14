import { TraceFlags, propagation, type Attributes, type Context } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { inheritPropagated } from "../context/propagated.js";
import { Keys } from "../wire/keys.js";
import { log } from "../diag/log.js";
import { finishStrings, MAX_BATCH_BYTES, spanOverhead, type StringRules } from "./limits.js";
import { snapshot } from "./snapshot.js";

/** Batching, partial-emit and privacy settings of {@link JudgmentSpanProcessor}. */
export interface JudgmentProcessorOptions {
  /** Export snapshots of spans still open when an export happens (live tracer only). */
  partialEmits: boolean;
  scheduledDelayMillis: number;
  /** Spans held at most, buffered or being delivered; more are dropped and counted. */
  maxQueueSize: number;
  maxExportBatchSize: number;
  /** Cap and secret scrubbing of every string value. */
  strings: StringRules;
  /** Rewrites attributes before export (mask, no inputs/outputs). */
  redact?: (attributes: Attributes) => void;
}

/** The exporter side the processor drives; `wake` retries batches waiting between attempts. */
export interface WakeableExporter extends SpanExporter {
  wake?(final?: boolean): void;
  hasWaiting?(): boolean;
}

/** At most one overflow warning per this many ms (and one at shutdown for what is left). */
const DROP_REPORT_INTERVAL = 10000;
/**
 * Export requests in flight at most. Beyond it spans wait in the queue (back-pressure) rather
 * than being refused by the exporter's own concurrency limit and retried later.
 */
const MAX_CONCURRENT_EXPORTS = 8;


/**
 * Batches ended spans for the exporter. On the live tracer every export also carries a snapshot
 * of each span that is still open, so a viewer shows long-running work; a span that ends before
 * the next export goes out once, with `judgment.update_id` 0.
 */
export class JudgmentSpanProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  /** Estimated encoded size of each queued span, for cutting batches the backend will accept. */
  private sizes: number[] = [];
  /** Open spans. (Kept here, not marked on the SDK's span objects, whose shape stays as is.) */
  private readonly open = new Set<Span>();
  /** Partial emits made so far of the (few) open spans that had any; the final copy carries the next number. */
  private readonly emitted = new Map<Span, number>();
  /** Open spans no export has shown yet: they alone are worth a timer tick. */
  private unseen = 0;
  private readonly inFlight = new Set<Promise<boolean>>();
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;
  /** Spans handed to the exporter and not yet settled: they count against the queue bound. */
  private delivering = 0;
  /** Spans handed to the exporter since the start: how a flush knows its spans have gone. */
  private sent = 0;
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
    const wasOpen = this.open.delete(span as Span);
    const emitted = this.emitted.size === 0 ? 0 : (this.emitted.get(span as Span) ?? 0);
    if (emitted > 0) this.emitted.delete(span as Span);
    else if (wasOpen && this.options.partialEmits) this.unseen--;
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length + this.delivering >= this.options.maxQueueSize) {
      this.dropped++;
      return;
    }
    (span.attributes as Attributes)[Keys.updateId] = emitted;
    this.enqueue(span);
    if (this.queue.length >= this.options.maxExportBatchSize) this.exportSoon();
    else this.arm();
  }

  /** Whether `span` was started under this processor and has not ended. */
  isOpen(span: unknown): boolean {
    return this.open.has(span as Span);
  }

  /** Ended spans wait in the buffer or for a retry (open spans don't count: they may never end). */
  hasPending(): boolean {
    return this.queue.length > 0 || this.exporter.hasWaiting?.() === true;
  }

  /** Exports everything buffered (and snapshots of open spans). */
  async forceFlush(): Promise<void> {
    await this.flush();
  }

  /**
   * Like {@link forceFlush}, reporting whether every export it waited for succeeded. Batches
   * waiting for a retry are tried now; with `final` (exit, shutdown) for the last time.
   */
  async flush(final = false): Promise<boolean> {
    this.exporter.wake?.(final);
    this.addSnapshots();
    // The spans queued now are this flush's to deliver; later ones are the next flush's.
    const target = this.sent + this.queue.length;
    let ok = true;
    for (;;) {
      this.exportNow();
      const pending = [...this.inFlight];
      if (pending.length === 0) break;
      const covered = this.sent >= target;
      ok = (await Promise.all(pending)).every(Boolean) && ok;
      if (covered) break;
    }
    if (final) this.reportDropped(true);
    return ok;
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await this.flush(true);
    this.stopped = true;
    clearTimeout(this.timer);
    await this.exporter.shutdown();
  }

  /**
   * Readies a span for export, in place — the privacy rewrite, then the cap and secret scrub of
   * its attributes, its events' (an exception message too) and its status message — and queues it.
   */
  private enqueue(span: ReadableSpan): void {
    let size = spanOverhead(span.name) + this.finish(span.attributes as Attributes);
    const { events } = span;
    for (let i = 0; i < events.length; i++) {
      const attributes = events[i].attributes;
      if (attributes) size += this.finish(attributes as Attributes);
    }
    const status = span.status as { message?: string };
    if (status.message) {
      const holder: Attributes = { "otel.status_description": status.message };
      size += this.finish(holder);
      status.message = holder["otel.status_description"] as string | undefined;
    }
    this.queue.push(span);
    this.sizes.push(size);
  }

  /** The privacy rewrite, then cap and scrub; returns the estimated encoded size. */
  private finish(attributes: Attributes): number {
    this.options.redact?.(attributes);
    return finishStrings(attributes, this.options.strings);
  }

  private arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.addSnapshots();
      this.exportNow();
      if (this.queue.length > 0 || this.unseen > 0) this.arm();
    }, this.options.scheduledDelayMillis);
    this.timer.unref();
  }

  /** A batch is full: export off the caller's stack, without waiting for the timer. */
  private exportSoon(): void {
    if (this.immediate) return;
    this.immediate = true;
    setImmediate(() => {
      this.immediate = false;
      this.exportNow();
    });
  }

  /** Queues a snapshot of every open span (live tracer): the partial emits of this export. */
  private addSnapshots(): void {
    if (!this.options.partialEmits) return;
    for (const span of this.open) {
      const emitted = this.emitted.get(span) ?? 0;
      if (emitted === 0) this.unseen--;
      this.emitted.set(span, emitted + 1);
      this.enqueue(snapshot(span, emitted));
    }
  }

  /** Sends queued spans as batches while there is room in flight; the rest wait their turn. */
  private exportNow(): void {
    this.reportDropped(false);
    while (this.queue.length > 0 && this.inFlight.size < MAX_CONCURRENT_EXPORTS) {
      const n = this.nextBatchLength();
      const all = n === this.queue.length;
      const batch = all ? this.queue : this.queue.slice(0, n);
      this.queue = all ? [] : this.queue.slice(n);
      this.sizes = all ? [] : this.sizes.slice(n);
      this.send(batch);
    }
  }

  /** Spans in the next request: at most `maxExportBatchSize` and {@link MAX_BATCH_BYTES}, at least one. */
  private nextBatchLength(): number {
    const limit = Math.min(this.queue.length, this.options.maxExportBatchSize);
    let bytes = 0;
    for (let i = 0; i < limit; i++) {
      bytes += this.sizes[i];
      if (bytes > MAX_BATCH_BYTES && i > 0) return i;
    }
    return limit;
  }

  private send(spans: ReadableSpan[]): void {
    this.delivering += spans.length;
    this.sent += spans.length;
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
      // A slot is free: a full batch goes now, a partial one at the next tick.
      if (this.queue.length >= this.options.maxExportBatchSize) this.exportNow();
      else if (this.queue.length > 0) this.arm();
    });
  }

  private reportDropped(force: boolean): void {
    const now = Date.now();
    if (this.dropped === 0 || (!force && now - this.lastDropReport < DROP_REPORT_INTERVAL)) return;
    log.warn(`dropped ${this.dropped} spans: the export queue was full (maxQueueSize ${this.options.maxQueueSize}).`);
    this.dropped = 0;
    this.lastDropReport = now;
  }
}
