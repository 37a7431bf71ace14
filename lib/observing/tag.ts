import { trace } from "@opentelemetry/api";
import { activeTracer } from "../context/activeTracer.js";
import type { Tracer } from "../tracer/Tracer.js";

/** Adds tags to the current trace, sent in the background; `forceFlush` waits for them. Never throws. */
export function tag(tags: string | string[]): void {
  try {
    const tracer = activeTracer<Tracer>();
    const span = trace.getActiveSpan();
    if (!tracer || tracer.offline || !span?.isRecording()) return;
    const list = (Array.isArray(tags) ? tags : [tags]).filter((t): t is string => typeof t === "string" && t !== "");
    if (list.length > 0) tracer.sendTags(span.spanContext().traceId, list);
  } catch {
    // never into user code
  }
}
