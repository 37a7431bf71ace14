import { TraceFlags, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "../otel/sdk.js";
import { Keys } from "../wire/keys.js";
import { Batcher, type BatcherOptions, type WakeableExporter } from "./batcher.js";
import { enrichAtStart } from "./enrich.js";
import { finishSpan, type Redact, type StringRules } from "./finish.js";
import { GenAiSpans, type GenAiOptions } from "./genai/spans.js";
import { OpenSpans } from "./open-spans.js";

/** Batching, partial-emit and privacy settings of {@link JudgmentSpanProcessor}. */
export interface JudgmentProcessorOptions extends BatcherOptions {
  /** Export snapshots of spans still open when an export happens (live tracer only). */
  partialEmits: boolean;
  /** Open spans kept for partial emits at most; more are counted and reported. */
  maxOpenSpans: number;
  /** Cap and secret scrubbing of every string value. */
  strings: StringRules;
  /** Rewrites attributes before export (mask, no inputs/outputs). */
  redact?: Redact;
  /** How spans of other libraries that follow the GenAI conventions become llm/tool/agent spans. */
  genai?: GenAiOptions;
}

/**
 * The Judgment span processor: enriches spans at start, tracks the open ones, finishes ended ones
 * (privacy rewrite, caps, scrub) and hands them to the batcher. On the live tracer every export
 * also carries a snapshot of each span still open, so a viewer shows long-running work; a span
 * that ends before the next export goes out once, with `judgment.update_id` 0.
 */
export class JudgmentSpanProcessor implements SpanProcessor {
  private readonly open: OpenSpans;
  private readonly batcher: Batcher;
  private readonly genai: GenAiSpans;
  private stopped = false;

  constructor(
    exporter: WakeableExporter,
    private readonly options: JudgmentProcessorOptions,
  ) {
    this.open = new OpenSpans(options.partialEmits, options.maxOpenSpans);
    this.genai = new GenAiSpans(options.genai ?? { recordContent: true });
    const addSnapshots = (): void => this.addSnapshots();
    this.batcher = new Batcher(exporter, options, addSnapshots, () => this.open.unseen > 0);
  }

  onStart(span: Span, parentContext: Context): void {
    enrichAtStart(span, parentContext);
    this.genai.started(span);
    this.open.add(span);
    if (this.options.partialEmits) this.batcher.arm();
  }

  onEnd(span: ReadableSpan): void {
    const updateId = this.open.end(span);
    this.genai.ended(span);
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0 || !this.batcher.admit()) return;
    span.attributes[Keys.updateId] = updateId;
    this.batcher.push(span, finishSpan(span, this.options.strings, this.options.redact));
    this.batcher.queued();
  }

  /** Whether `span` was started under this processor and has not ended. */
  isOpen(span: unknown): boolean {
    return this.open.has(span);
  }

  /** Ended spans wait in the buffer or for a retry (open spans don't count: they may never end). */
  hasPending(): boolean {
    return this.batcher.hasPending();
  }

  /** The process is ending on an uncaught exception: ended spans go to the spool, if one is set. */
  spoolNow(): void {
    this.batcher.spoolNow();
  }

  /** Exports everything buffered (and snapshots of open spans). */
  async forceFlush(): Promise<void> {
    await this.flush();
  }

  /**
   * Like {@link forceFlush}, reporting whether every export it waited for succeeded. Batches
   * waiting for a retry are tried now; with `final` (exit, shutdown) for the last time.
   */
  flush(final = false): Promise<boolean> {
    return this.batcher.flush(final, () => this.addSnapshots());
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await this.flush(true);
    this.stopped = true;
    await this.batcher.shutdown();
  }

  /** Queues a snapshot of every open span that is new or changed (live tracer): the partial emits of this export. */
  private addSnapshots(): void {
    for (const copy of this.open.snapshots()) {
      this.batcher.push(copy, finishSpan(copy, this.options.strings, this.options.redact));
    }
  }
}
