import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "../otel/sdk.js";
import { Keys } from "../wire/keys.js";
import { Example } from "./example.js";

/**
 * The offline tracer's span processor: the Judgment processor it wraps (export to the offline
 * endpoint), plus one {@link Example} on the caller's dataset per completed root span, once per
 * trace. Linked roots (`fork`) belong to the run that started them: no example.
 */
export class OfflineSpanProcessor implements SpanProcessor {
  private readonly seen = new Set<string>();

  constructor(
    private readonly inner: SpanProcessor,
    private readonly dataset: Example[],
    private readonly fields: Record<string, unknown>,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.inner.onEnd(span);
    if (span.parentSpanContext !== undefined || span.attributes[Keys.linkSourceTraceId] !== undefined) return;
    const traceId = span.spanContext().traceId;
    if (this.seen.has(traceId)) return;
    this.seen.add(traceId);
    this.dataset.push(Example.create({ ...this.fields, offline_trace_id: traceId }));
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
