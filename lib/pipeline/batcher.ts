import { ExportResultCode, type ReadableSpan, type SpanExporter } from "../otel/sdk.js";
import { countDropped, reportDropped } from "./drops.js";
import { MAX_BATCH_BYTES } from "./finish.js";
import { untraced } from "./untraced.js";
import { onNextTurn, unref, type Timer } from "../diag/runtime.js";

/** The exporter side the batcher drives; `wake` retries batches waiting between attempts. */
export interface WakeableExporter extends SpanExporter {
  wake?(final?: boolean): void;
  hasWaiting?(): boolean;
  /** Whether spans can go to a spool directory now. */
  canSpool?(): boolean;
  /** Writes spans to the spool synchronously; false (counted as dropped) when it cannot. */
  spoolSpans?(spans: ReadableSpan[]): boolean;
  /** Writes batches waiting for a retry to the spool synchronously (the process is ending). */
  spoolWaiting?(): void;
  /** Re-sends what the spool holds; true when nothing is left to send. */
  resend?(): Promise<boolean>;
}

/** Batching and back-pressure settings of {@link Batcher}. */
export interface BatcherOptions {
  scheduledDelayMillis: number;
  /** Spans held at most, buffered or being delivered; more go to the spool, if any, else are dropped and counted. */
  maxQueueSize: number;
  maxExportBatchSize: number;
}

/**
 * Export requests in flight at most. Beyond it spans wait in the queue (back-pressure) rather
 * than being refused by the exporter's own concurrency limit and retried later.
 */
const MAX_CONCURRENT_EXPORTS = 8;

/**
 * The export queue: spans wait here, leave in batches that fit {@link MAX_BATCH_BYTES}, with at
 * most {@link MAX_CONCURRENT_EXPORTS} requests in flight; a full queue drops and counts.
 * `beforeTick` runs before each timed export (the partial emits add their snapshots there).
 *
 * With a spool directory a full queue does not drop: spans beyond it collect in a small overflow
 * that goes to disk one request's worth at a time (memory stays bounded however long the
 * backend is away), or back into the queue when room frees first.
 */
export class Batcher {
  private queue: ReadableSpan[] = [];
  /** Estimated encoded size of each queued span, for cutting batches the backend will accept. */
  private sizes: number[] = [];
  /** Spans beyond a full queue, on their way to the spool (at most one request's worth). */
  private overflow: ReadableSpan[] = [];
  private overflowSizes: number[] = [];
  private overflowBytes = 0;
  private readonly inFlight = new Set<Promise<boolean>>();
  private timer: Timer | undefined;
  private immediate = false;
  /** Spans handed to the exporter and not yet settled: they count against the queue bound. */
  private delivering = 0;
  /** Spans handed to the exporter since the start: how a flush knows its spans have gone. */
  private sent = 0;
  private stopped = false;

  constructor(
    private readonly exporter: WakeableExporter,
    private readonly options: BatcherOptions,
    private readonly beforeTick: () => void,
    /** Whether the timer should keep ticking with an empty queue (open spans not yet shown). */
    private readonly keepTicking: () => boolean,
  ) {}

  /** Room for one more span (false: it is dropped and counted). */
  admit(): boolean {
    if (this.stopped) return false;
    if (!this.full() || this.exporter.canSpool?.() === true) return true;
    countDropped(1, `the export queue was full (maxQueueSize ${this.options.maxQueueSize})`);
    return false;
  }

  /**
   * Queues a finished span with its estimated encoded size; a partial emit skips the admission
   * check. Past a full queue, with a spool, the span joins the overflow bound for disk.
   */
  push(span: ReadableSpan, size: number): void {
    if (this.full() && this.exporter.canSpool?.() === true) {
      this.overflow.push(span);
      this.overflowSizes.push(size);
      this.overflowBytes += size;
      if (this.overflow.length >= this.options.maxExportBatchSize || this.overflowBytes >= MAX_BATCH_BYTES) this.spill();
      return;
    }
    this.queue.push(span);
    this.sizes.push(size);
  }

  /** The queue holds `maxQueueSize` spans, buffered or being delivered. */
  private full(): boolean {
    return this.queue.length + this.delivering >= this.options.maxQueueSize;
  }

  /** After an ended span was queued: export at once if a batch is full, else at the next tick. */
  queued(): void {
    if (this.queue.length >= this.options.maxExportBatchSize) this.exportSoon();
    else this.arm();
  }

  /** Ended spans wait in the buffer or for a retry. */
  hasPending(): boolean {
    return this.queue.length > 0 || this.overflow.length > 0 || this.exporter.hasWaiting?.() === true;
  }

  /**
   * The process is ending on an uncaught exception, with no time for a request: everything
   * queued, in the overflow or waiting for a retry goes to the spool synchronously (no-op without one).
   */
  spoolNow(): void {
    if (!this.exporter.spoolSpans) return;
    this.overflow = this.overflow.length === 0 ? this.queue : this.queue.concat(this.overflow);
    this.overflowSizes = this.overflowSizes.length === 0 ? this.sizes : this.sizes.concat(this.overflowSizes);
    this.queue = [];
    this.sizes = [];
    this.spill();
    this.exporter.spoolWaiting?.();
  }

  /** Starts the timer if it is not running (a span opened and may want a partial emit). */
  arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.beforeTick();
      this.exportNow();
      if (this.queue.length > 0 || this.keepTicking()) this.arm();
    }, this.options.scheduledDelayMillis);
    unref(this.timer);
  }

  /**
   * Sends everything queued; true when every export it waited for succeeded. Batches waiting for
   * a retry are tried now; with `final` (exit, shutdown) for the last time.
   */
  async flush(final: boolean, beforeExport: () => void): Promise<boolean> {
    this.exporter.wake?.(final);
    beforeExport();
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
    // spans that went to disk are this flush's too, once the backend takes the queue's
    if (ok && !final && this.exporter.resend) ok = await this.exporter.resend();
    if (final) reportDropped(true);
    return ok;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.exporter.shutdown();
  }

  /** A batch is full: export off the caller's stack, without waiting for the timer. */
  private exportSoon(): void {
    if (this.immediate) return;
    this.immediate = true;
    onNextTurn(() => {
      this.immediate = false;
      this.exportNow();
    });
  }

  /** Sends queued spans as batches while there is room in flight; the rest wait their turn. */
  private exportNow(): void {
    reportDropped(false);
    if (this.overflow.length > 0) this.unload();
    while (this.queue.length > 0 && this.inFlight.size < MAX_CONCURRENT_EXPORTS) {
      const n = this.nextBatchLength();
      const all = n === this.queue.length;
      const batch = all ? this.queue : this.queue.slice(0, n);
      this.queue = all ? [] : this.queue.slice(n);
      this.sizes = all ? [] : this.sizes.slice(n);
      this.send(batch);
    }
  }

  /** Overflow spans go back into the queue as far as it has room; the rest to the spool. */
  private unload(): void {
    const room = Math.max(0, this.options.maxQueueSize - this.queue.length - this.delivering);
    const n = Math.min(room, this.overflow.length);
    if (n > 0) {
      for (let i = 0; i < n; i++) {
        this.queue.push(this.overflow[i]);
        this.sizes.push(this.overflowSizes[i]);
      }
      this.overflow = this.overflow.slice(n);
      this.overflowSizes = this.overflowSizes.slice(n);
    }
    this.spill();
  }

  /** Writes the overflow to the spool, cut into request-sized bodies, and empties it. */
  private spill(): void {
    const spans = this.overflow;
    const sizes = this.overflowSizes;
    this.overflow = [];
    this.overflowSizes = [];
    this.overflowBytes = 0;
    for (let start = 0; start < spans.length;) {
      const n = batchLength(sizes, start, Math.min(spans.length - start, this.options.maxExportBatchSize));
      this.exporter.spoolSpans?.(n === spans.length ? spans : spans.slice(start, start + n));
      start += n;
    }
  }

  /** Spans in the next request: at most `maxExportBatchSize` and {@link MAX_BATCH_BYTES}, at least one. */
  private nextBatchLength(): number {
    return batchLength(this.sizes, 0, Math.min(this.queue.length, this.options.maxExportBatchSize));
  }

  private send(spans: ReadableSpan[]): void {
    this.delivering += spans.length;
    this.sent += spans.length;
    const done = new Promise<boolean>((resolve) => {
      try {
        untraced(() => this.exporter.export(spans, (result) => resolve(result.code === ExportResultCode.SUCCESS)));
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
}

/** How many of at most `limit` spans from `start` fit one request of {@link MAX_BATCH_BYTES} (at least one). */
function batchLength(sizes: number[], start: number, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < limit; i++) {
    bytes += sizes[start + i];
    if (bytes > MAX_BATCH_BYTES && i > 0) return i;
  }
  return limit;
}
