import { spanMs } from "./nanos.js";
import type { DecodedSpan } from "../otlp/otlp-decode.js";
import type { StoredSpan } from "../types.js";

const UPDATE_ID = "judgment.update_id";

function updateIdOf(span: DecodedSpan): number {
  const value = span.attributes[UPDATE_ID];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Builds the stored form of a decoded span. */
export function toStoredSpan(span: DecodedSpan, offline: boolean, projectId: string, receivedAt: number): StoredSpan {
  const spanType = span.attributes["judgment.span_kind"];
  return {
    ...span,
    spanType: typeof spanType === "string" ? spanType : "span",
    durationMs: spanMs(span.startTimeUnixNano, span.endTimeUnixNano),
    ended: span.endTimeUnixNano !== "0",
    updateId: updateIdOf(span),
    offline,
    projectId,
    receivedAt,
  };
}
