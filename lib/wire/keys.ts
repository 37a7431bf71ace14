/** Span attribute keys of the Judgment wire format (docs/wire.md, "Span attributes"). */
export const Keys = {
  spanKind: "judgment.span_kind",
  input: "judgment.input",
  output: "judgment.output",
  updateId: "judgment.update_id",
  customerId: "judgment.customer_id",
  customerUserId: "judgment.customer_user_id",
  sessionId: "judgment.session_id",
  pendingTraceEval: "judgment.pending_trace_eval",
  llmProvider: "judgment.llm.provider",
  llmModel: "judgment.llm.model",
  /** `true` on a streamed call's span when the consumer stopped reading (break, return, abort) before the end. */
  llmStreamCancelled: "judgment.llm.stream_cancelled",
  nonCachedInputTokens: "judgment.usage.non_cached_input_tokens",
  cacheReadInputTokens: "judgment.usage.cache_read_input_tokens",
  cacheCreationInputTokens: "judgment.usage.cache_creation_input_tokens",
  outputTokens: "judgment.usage.output_tokens",
  totalCostUsd: "judgment.usage.total_cost_usd",
  linkSourceTraceId: "judgment.link.source_trace_id",
  linkSourceSpanId: "judgment.link.source_span_id",
  linkTargetTraceId: "judgment.link.target_trace_id",
  linkTargetSpanId: "judgment.link.target_span_id",
} as const;

/** Resource attribute keys of the Judgment wire format beyond OpenTelemetry's (docs/wire.md, "Resource attributes"). */
export const ResourceKeys = {
  /** `"true"` on the offline tracer's resource. */
  offline: "judgment.offline",
  /** The experiment run offline spans belong to; read by the local backend, not set by the SDK. */
  experimentRun: "judgment.experiment.run",
} as const;

/** Span kinds the platform knows; any other string is accepted too. */
export type SpanKindName = "span" | "agent" | "tool" | "llm" | "function" | "generator" | "generator_item" | (string & {});

/**
 * Keys the experiment runner writes, in judgeval's own `judgeval.` namespace: the platform reads
 * only `judgment.*` keys and keeps these as plain attributes; the local backend and
 * `judgeval/testing` read them back (docs/wire.md, "Experiment attributes").
 */
export const ExperimentKeys = {
  /** Resource attribute: the run an item's trace belongs to (`<name>-<8 hex>`). */
  run: "judgeval.experiment.run",
  /** Span attribute on an item's root span: the item's index in the dataset. */
  item: "judgeval.experiment.item",
  /** Span attribute on an item's root span: its `expected_output` field, serialized as the output is, when it has one. */
  expected: "judgeval.experiment.expected_output",
  /** Span attribute on an item's root span: the local scores, a JSON list (wire/scores.ts). */
  scores: "judgeval.experiment.scores",
} as const;
