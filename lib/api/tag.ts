import { scrub } from "../diag/secrets.js";
import { safelyLive } from "./annotate.js";

/** Tags of one call taken at most. */
const MAX_TAGS = 256;

/** Adds tags to the current trace, sent in the background; `forceFlush` waits for them. Never throws. */
export function tag(tags: string | string[]): void {
  safelyLive((span, tracer) => {
    const given = Array.isArray(tags) ? tags.slice(0, MAX_TAGS) : [tags];
    // Tags leave the process like span strings do: with every known secret replaced.
    const list = given.filter((t): t is string => typeof t === "string" && t !== "").map(scrub);
    if (list.length > 0) tracer.sendTags(span.spanContext().traceId, list);
  });
}
