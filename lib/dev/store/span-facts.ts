import { ExperimentKeys, Keys, ResourceKeys } from "../../wire/keys.js";
import { PREVIEW_CHARS } from "./query-types.js";
import type { AttributeValue, StoredSpan } from "./span-types.js";

/** What the trace list and its filters need of one span, read from its attributes. */
export interface SpanFacts {
  sessionId: string | null;
  customerId: string | null;
  customerUserId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** The other trace of a `judgment.link.*` attribute, when the span carries one. */
  linkTraceId: string | null;
}

function str(value: AttributeValue | undefined): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Longest session, customer or customer user id the store treats as one. A longer value stays an
 * attribute of its span but lists no session and offers no filter: a page for it could not be
 * asked for (the query API refuses longer filter values, as a URL that long would be).
 */
export const MAX_ID_CHARS = 1024;

function id(value: AttributeValue | undefined): string | null {
  const text = str(value);
  return text !== null && text.length <= MAX_ID_CHARS ? text : null;
}

function num(value: AttributeValue | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Reads the facts of a span (tokens, cost, propagated ids, links). */
export function spanFacts(span: StoredSpan): SpanFacts {
  const a = span.attributes;
  const cost = a[Keys.totalCostUsd];
  const link = str(a[Keys.linkSourceTraceId]) ?? str(a[Keys.linkTargetTraceId]);
  return {
    sessionId: id(a[Keys.sessionId]),
    customerId: id(a[Keys.customerId]),
    customerUserId: id(a[Keys.customerUserId]),
    inputTokens: num(a[Keys.nonCachedInputTokens]) + num(a[Keys.cacheReadInputTokens]) + num(a[Keys.cacheCreationInputTokens]),
    outputTokens: num(a[Keys.outputTokens]),
    costUsd: typeof cost === "number" && Number.isFinite(cost) ? cost : null,
    linkTraceId: link?.toLowerCase() ?? null,
  };
}

/** The first {@link PREVIEW_CHARS} characters of a span's input or output. */
export function preview(span: StoredSpan, key: typeof Keys.input | typeof Keys.output): string | null {
  const value = span.attributes[key];
  if (value === undefined || value === null) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text;
}

/** The experiment run named on the span's resource (the runner's key, else one the app set), if any. */
export function runOf(span: StoredSpan): string | null {
  return str(span.resource[ExperimentKeys.run]) ?? str(span.resource[ResourceKeys.experimentRun]);
}
