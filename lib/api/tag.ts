import { safelyLive } from "./annotate.js";

/** Adds tags to the current trace, sent in the background; `forceFlush` waits for them. Never throws. */
export function tag(tags: string | string[]): void {
  safelyLive((span, tracer) => {
    const list = (Array.isArray(tags) ? tags : [tags]).filter((t): t is string => typeof t === "string" && t !== "");
    if (list.length > 0) tracer.sendTags(span.spanContext().traceId, list);
  });
}
