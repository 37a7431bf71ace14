import { propagation, type Span, type Tracer as OtelTracer, type TracerProvider } from "@opentelemetry/api";
import type { SpanProcessor } from "../otel/sdk.js";
import type { Recorder } from "../context/recorder.js";
import type { JudgmentSpanExporter } from "../pipeline/exporter.js";
import type { JudgmentSpanProcessor } from "../pipeline/processor.js";
import type { TagSender } from "../pipeline/judgment-api.js";
import type { BackgroundResolution } from "../pipeline/resolution.js";
import { w3cPropagator } from "../propagation/propagation.js";
import type { ArgumentsSerializer, Recording } from "../serialize/recording.js";
import type { Serializer } from "../serialize/index.js";
import type { PriceTable } from "../pricing/prices.js";
import { log } from "../diag/log.js";
import { unref, type Timer } from "../diag/runtime.js";
import { unregisterTracer, type Flushable } from "./lifecycle.js";
import { deactivate } from "../context/active-tracer.js";

/** A third-party OpenTelemetry instrumentation (e.g. `@opentelemetry/instrumentation-undici`). */
export interface OTELInstrumentation {
  setTracerProvider(provider: TracerProvider): void;
  enable?(): void;
}

/** What {@link TracerRecorder} runs, as the composition root put it together. */
export interface TracerParts {
  /** The OpenTelemetry SDK's provider (typed by what is used of it). */
  readonly provider: TracerProvider & { shutdown(): Promise<void> };
  readonly otelTracer: OtelTracer;
  readonly processor: JudgmentSpanProcessor;
  /** The processor the provider runs: `processor`, or the variant's wrapper of it. */
  readonly spanProcessor: SpanProcessor;
  readonly exporter: JudgmentSpanExporter | undefined;
  readonly tags: TagSender | undefined;
  readonly resolution: BackgroundResolution;
  /** The recording options, compiled into ready functions. */
  readonly compiled: Recording;
  readonly hasUserProcessors: boolean;
  /** A test capture: nothing is exported, so a failed resolution is not reported. */
  readonly inMemory: boolean;
  readonly offline: boolean;
  readonly unlimitedAttributes: boolean;
  readonly prices: PriceTable | undefined;
}

/**
 * One tracer's working pipeline: the {@link Recorder} instrumentation finds through the context,
 * and the flushes and shutdown of what it recorded. This object, not the `Tracer` facade, is what
 * the process-wide state holds, so the facade keeps its internals private.
 */
export class TracerRecorder implements Recorder, Flushable {
  /** Settles after the first attempt to resolve the project (see `Tracer.ready`). */
  readonly ready: Promise<void>;
  projectId: string | undefined;
  // The settings instrumentation reads on every call are own fields, not lookups through `parts`.
  readonly otelTracer: OtelTracer;
  recording: boolean;
  readonly offline: boolean;
  readonly serializeArguments: ArgumentsSerializer | undefined;
  readonly serializeInputOutput: Serializer | undefined;
  readonly serialize: Serializer;
  readonly unlimitedAttributes: boolean;
  readonly prices: PriceTable | undefined;

  constructor(readonly parts: TracerParts) {
    this.otelTracer = parts.otelTracer;
    this.offline = parts.offline;
    this.serializeArguments = parts.compiled.serializeArguments;
    this.serializeInputOutput = parts.compiled.serializeInputOutput;
    this.serialize = parts.compiled.serialize;
    this.unlimitedAttributes = parts.unlimitedAttributes;
    this.prices = parts.prices;
    this.recording = parts.exporter !== undefined || parts.hasUserProcessors;
    const resolution = parts.resolution;
    this.ready = resolution.first.then((r) => {
      if ("projectId" in r) this.projectId = r.projectId;
      else if (r.retryable && !resolution.done)
        log.warn(`${r.error}; retrying in the background: spans are kept (up to maxQueueSize) and delivered once it succeeds.`);
      else if (!parts.inMemory) this.exportOff(r.error);
    });
    void resolution.id.then((id) => {
      if (id !== undefined) this.projectId = id;
    });
  }

  owns(span: Span): boolean {
    return this.parts.processor.isOpen(span);
  }

  hasPending(): boolean {
    return this.parts.processor.hasPending();
  }

  async flushOnExit(): Promise<boolean> {
    await this.resolveBeforeFlush(5000, true);
    return withTimeout(this.parts.processor.flush(true), 10000, false);
  }

  sendTags(traceId: string, tags: string[]): void {
    this.parts.tags?.send(this.parts.resolution.id, traceId, tags);
  }

  /** The process is ending on an uncaught exception: ended spans go to the spool, if one is set. */
  spoolOnCrash(): void {
    this.parts.processor.spoolNow();
  }

  /** See `Tracer.forceFlush`. */
  async forceFlush(timeout: unknown): Promise<boolean> {
    const timeoutMillis = timeoutOf(timeout);
    // Nothing can be delivered before the project is known: say so now rather than at the timeout.
    if (!(await this.resolveBeforeFlush(timeoutMillis, false))) return false;
    const work = Promise.all([this.parts.processor.flush(), this.parts.tags?.flush() ?? true]).then(([spans, tags]) => spans && tags);
    return withTimeout(work, timeoutMillis, false);
  }

  /** See `Tracer.registerOTELInstrumentation`. */
  registerOTELInstrumentation(instrumentation: OTELInstrumentation): void {
    setW3cPropagator();
    instrumentation.setTracerProvider(this.parts.provider);
    instrumentation.enable?.();
  }

  /** See `Tracer.shutdown`. */
  async shutdown(timeout: unknown): Promise<void> {
    const timeoutMillis = timeoutOf(timeout);
    deactivate(this);
    unregisterTracer(this);
    this.recording = this.parts.hasUserProcessors;
    const started = Date.now();
    await this.resolveBeforeFlush(Math.min(timeoutMillis, 5000), true);
    await withTimeout(
      this.parts.provider.shutdown().then(() => true),
      Math.max(0, timeoutMillis - (Date.now() - started)),
      false,
    );
  }

  /**
   * While the project is not resolved yet: one attempt now (bounded by `timeoutMillis`); with
   * `last`, resolution ends there (spans waiting for it are then dropped and counted). True when
   * the project is known (or export is off anyway), so flushing can proceed.
   */
  private async resolveBeforeFlush(timeoutMillis: number, last: boolean): Promise<boolean> {
    // Without an exporter nothing waits for the project (export off, or an in-memory capture).
    if (this.parts.resolution.done || !this.parts.exporter) return true;
    const known = await withTimeout(this.parts.resolution.now(), timeoutMillis, false);
    if (!known && last) this.parts.resolution.stop();
    return known;
  }

  private exportOff(reason: string): void {
    this.recording = this.parts.hasUserProcessors;
    log.warn(`export is off: ${reason}. Spans are still created and your code runs unchanged.`);
  }
}

/** W3C trace context as the global propagator, so instrumented requests carry it. */
export function setW3cPropagator(): void {
  const w3c = w3cPropagator();
  if (w3c) propagation.setGlobalPropagator(w3c);
}

function withTimeout<T>(work: Promise<T>, millis: number, onTimeout: T): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = unref(setTimeout(() => resolve(onTimeout), millis));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Default wait of `forceFlush` and `shutdown`. */
export const DEFAULT_TIMEOUT_MILLIS = 30000;

/** A usable timeout from any value: a non-negative number as it is, anything else the default. */
function timeoutOf(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : DEFAULT_TIMEOUT_MILLIS;
}
