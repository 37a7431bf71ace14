import type { DecodedSpan } from "../otlp/decode.js";
import type { StoredSpan } from "./span-types.js";
import { Keys } from "../../wire/keys.js";

/** Builds the stored form of a decoded span (field by field: one object shape for every span). */
export function toStoredSpan(span: DecodedSpan, offline: boolean, projectId: string, receivedAt: number): StoredSpan {
  const spanType = span.attributes[Keys.spanKind];
  const updateId = span.attributes[Keys.updateId];
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    spanType: typeof spanType === "string" ? spanType : "span",
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    durationMs: span.durationMs,
    ended: span.endTimeUnixNano !== "0",
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    resource: span.resource,
    scope: span.scope,
    updateId: typeof updateId === "number" && Number.isFinite(updateId) ? updateId : 0,
    offline,
    projectId,
    receivedAt,
  };
}
