import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { Keys } from "../wire/keys.js";
import { Example } from "./Example.js";

/**
 * Turns every completed root span of an experiment run into one {@link Example} on the caller's
 * dataset, once per trace. Linked roots (`fork`) belong to the run that started them: no example.
 */
export class ExampleCollector implements SpanProcessor {
  private readonly seen = new Set<string>();

  constructor(
    private readonly dataset: Example[],
    private readonly fields: Record<string, unknown>,
  ) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (span.parentSpanContext !== undefined || span.attributes[Keys.linkSourceTraceId] !== undefined) return;
    const traceId = span.spanContext().traceId;
    if (this.seen.has(traceId)) return;
    this.seen.add(traceId);
    this.dataset.push(Example.create({ ...this.fields, offline_trace_id: traceId }));
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
