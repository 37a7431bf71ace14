import { SpanStatusCode, type Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "../otel/sdk.js";
import { ExperimentKeys, Keys } from "../wire/keys.js";
import { parseScores, type ScoreRecord } from "../wire/scores.js";

/** Token counts an LLM span recorded (absent counts are left out). */
export interface CapturedUsage {
  nonCachedInputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  totalCostUsd?: number;
}

/** One local score of an experiment item, as the runner recorded it on the item's root span. */
export type CapturedScore = ScoreRecord;

/** One span as the tracer recorded it, with its children: plain data, fit for `toEqual` and snapshots. */
export interface CapturedSpan {
  name: string;
  /** `judgment.span_kind`: `"span"`, `"llm"`, `"tool"`, `"agent"`, … (`"span"` when unset). */
  kind: string;
  traceId: string;
  spanId: string;
  /** Undefined for the root of a trace (or when the parent was not captured). */
  parentSpanId: string | undefined;
  /** The recorded input, parsed from its JSON text; undefined when none was recorded. */
  input: unknown;
  /** The recorded output, parsed from its JSON text; undefined when none was recorded. */
  output: unknown;
  /** The error message when the span ended with an error status. */
  error: string | undefined;
  /** `judgment.llm.model`, on LLM spans. */
  model: string | undefined;
  /** `judgment.llm.provider`, on LLM spans. */
  provider: string | undefined;
  /** Token counts and cost, when the span recorded any. */
  usage: CapturedUsage | undefined;
  /** Local scores of an experiment item (`judgeval.experiment.scores`, on its root span), when any. */
  scores: CapturedScore[] | undefined;
  /** Every attribute as recorded (inputs and outputs as their JSON text). */
  attributes: Attributes;
  /** Child spans in start order. */
  children: CapturedSpan[];
}

/** One captured trace: its root span (with the tree below it) and every span in start order. */
export interface CapturedTrace {
  traceId: string;
  root: CapturedSpan;
  spans: CapturedSpan[];
}

const USAGE_KEYS: ReadonlyArray<[keyof CapturedUsage, string]> = [
  ["nonCachedInputTokens", Keys.nonCachedInputTokens],
  ["outputTokens", Keys.outputTokens],
  ["cacheReadInputTokens", Keys.cacheReadInputTokens],
  ["cacheCreationInputTokens", Keys.cacheCreationInputTokens],
  ["totalCostUsd", Keys.totalCostUsd],
];

function parsed(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function usageOf(attributes: Attributes): CapturedUsage | undefined {
  let usage: CapturedUsage | undefined;
  for (const [field, key] of USAGE_KEYS) {
    const value = attributes[key];
    if (typeof value === "number") (usage ??= {})[field] = value;
  }
  return usage;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function toCaptured(span: ReadableSpan): CapturedSpan {
  const { attributes } = span;
  const { traceId, spanId } = span.spanContext();
  return {
    name: span.name,
    kind: optionalString(attributes[Keys.spanKind]) ?? "span",
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    input: parsed(attributes[Keys.input]),
    output: parsed(attributes[Keys.output]),
    error: span.status.code === SpanStatusCode.ERROR ? (span.status.message ?? "") : undefined,
    model: optionalString(attributes[Keys.llmModel]),
    provider: optionalString(attributes[Keys.llmProvider]),
    usage: usageOf(attributes),
    scores: parseScores(attributes[ExperimentKeys.scores]),
    attributes: { ...attributes },
    children: [],
  };
}

function startOrder(a: ReadableSpan, b: ReadableSpan): number {
  return a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
}

/**
 * Groups ended spans into traces, in the order each trace started. A span whose parent was not
 * captured (e.g. the trace was continued from another service) is a root of its trace.
 */
export function buildTraces(ended: readonly ReadableSpan[]): CapturedTrace[] {
  const sorted = [...ended].sort(startOrder);
  const byId = new Map<string, CapturedSpan>();
  const captured = sorted.map((span) => {
    const c = toCaptured(span);
    byId.set(`${c.traceId}/${c.spanId}`, c);
    return c;
  });
  const traces = new Map<string, CapturedTrace>();
  for (const span of captured) {
    const parent = span.parentSpanId === undefined ? undefined : byId.get(`${span.traceId}/${span.parentSpanId}`);
    parent?.children.push(span);
    let trace = traces.get(span.traceId);
    if (!trace) traces.set(span.traceId, (trace = { traceId: span.traceId, root: span, spans: [] }));
    trace.spans.push(span);
    // the first span of the trace whose parent was not captured (ties in start time put a child first)
    if (!parent && byId.has(`${trace.root.traceId}/${trace.root.parentSpanId}`)) trace.root = span;
  }
  return [...traces.values()];
}
