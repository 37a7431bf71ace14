import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "../otel/sdk.js";
import { Keys } from "../wire/keys.js";

/**
 * A copy of a still-open span as it is at this moment (a partial emit). Its end time stays 0,
 * which tells the receiver the span is in progress; pending evaluations only ride on the final copy.
 */
export function snapshot(span: ReadableSpan, updateId: number): ReadableSpan {
  const attributes: Attributes = { ...span.attributes, [Keys.updateId]: updateId };
  delete attributes[Keys.pendingTraceEval];
  const context = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => context,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: [0, 0],
    status: { ...span.status },
    attributes,
    links: span.links.slice(),
    // copies: redaction rewrites them, and the live span's own must stay as recorded
    events: span.events.map((e) => ({ ...e, attributes: e.attributes && { ...e.attributes } })),
    duration: [0, 0],
    ended: false,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
