import type { Example } from "../offline/example.js";
import type { CapturedTrace } from "../testing/tree.js";
import type { Judgeval, OfflineTracerOptions } from "../tracer/judgeval.js";
import type { ScoreRecord } from "../wire/scores.js";

/**
 * One dataset item: an {@link Example}, or a plain record of fields. The task is given the
 * item's `input` field (the whole record when it has none); scorers and hosted judges compare
 * with its `expected_output` field.
 */
export type DatasetItem<I = unknown> = Example | { input?: I; expected_output?: unknown; [field: string]: unknown };

/** What the task is given beside the item's input. */
export interface TaskContext {
  /** The item's position in `data`. */
  index: number;
  /** Every field of the item. */
  fields: Record<string, unknown>;
  /** The item's `expected_output` field. */
  expected: unknown;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the run is cancelled (its `signal`, Ctrl-C, or `stopOnError`): pass it to your calls. */
  signal: AbortSignal;
}

/** What a scorer returns: a number, a boolean (1 or 0), or a score with the reason for it. */
export type ScoreValue = number | boolean | { score: number | boolean; reason?: string };

/** What a scorer is given, once the item's task has returned. */
export interface ScorerArgs<I = unknown, O = unknown> {
  input: I;
  output: O;
  /** The item's `expected_output` field. */
  expected: unknown;
  /** Every field of the item. */
  fields: Record<string, unknown>;
  /** The item's trace as the tracer recorded it (the root span still open, its output set). */
  trace: CapturedTrace;
}

/** A local scorer function; its name (`fn.name`) names its column. */
export type ScorerFunction<I = unknown, O = unknown> = (args: ScorerArgs<I, O>) => ScoreValue | Promise<ScoreValue>;

/** A local scorer: a named function, or a function with an explicit name. */
export type Scorer<I = unknown, O = unknown> = ScorerFunction<I, O> | { name: string; score: ScorerFunction<I, O> };

/** Options of {@link runExperiment}. */
export interface ExperimentOptions<I = unknown, O = unknown> {
  /** The client whose project and credentials the offline traces go to. */
  client: Judgeval;
  /** Name of the experiment; the run is `<name>-<8 hex>`. */
  name: string;
  /** The dataset: {@link Example}s or plain records (`input`, `expected_output`, …). */
  data: ReadonlyArray<DatasetItem<I>>;
  /** What is evaluated: called once per item (more with `retries`), inside the item's trace. */
  task: (input: I, context: TaskContext) => O | Promise<O>;
  /** Local scorers, run after each item that succeeded; a scorer that throws scores nothing for that item. */
  scorers?: ReadonlyArray<Scorer<I, O>>;
  /** Hosted judges (by name) queued on each successful item's root span, as `asyncEvaluate` does. */
  judges?: readonly string[];
  /** Items run at once (default 4). */
  concurrency?: number;
  /** Tries again an item whose task threw, up to this many times (default 0). */
  retries?: number;
  /** Stop starting items once one has failed (default false: every item runs). */
  stopOnError?: boolean;
  /** A numeric score at or above this counts as a pass (default 0.5; booleans are 1 or 0). */
  passThreshold?: number;
  /** Cancels the run: no new item starts, the running ones are given the abort and awaited. */
  signal?: AbortSignal;
  /**
   * On Ctrl-C (SIGINT): stop, deliver what finished, print the partial table, then let the signal
   * end the process as it would have (default true).
   */
  handleInterrupt?: boolean;
  /** A bar on a TTY, a line every tenth of the run otherwise (default true; false: silent). */
  progress?: boolean;
  /** Print the summary table at the end (default true). */
  report?: boolean;
  /** Called after each item finishes (its spans delivered), with how many are done. */
  onItem?: (item: ExperimentItem<I, O>, done: number, total: number) => void;
  /** Options of each item's offline tracer (`environment`, `serializer`, `resourceAttributes`, …). */
  tracer?: Omit<OfflineTracerOptions, "dataset" | "exampleFields" | "setActive">;
}

/** How an item ended. `skipped`: it never started (the run was cancelled first). */
export type ItemStatus = "ok" | "error" | "cancelled" | "skipped";

/** One local score of an item: a score (and pass) or the scorer's error. */
export type ScoreResult = ScoreRecord;

/** Token counts of an item: every LLM span of its trace added up. */
export interface TokenCounts {
  /** Input tokens, cached or not. */
  input: number;
  output: number;
}

/** The outcome of one item. */
export interface ExperimentItem<I = unknown, O = unknown> {
  index: number;
  input: I;
  expected: unknown;
  status: ItemStatus;
  /** What the task returned (status `ok`). */
  output?: O;
  /** The last error's message (status `error` or `cancelled`). */
  error?: string;
  /** Tries made: 1 + retries used. */
  attempts: number;
  /** Time the task took, retries included, in milliseconds. */
  durationMs: number;
  tokens: TokenCounts;
  /** Cost in USD of its LLM calls; undefined when none had a price. */
  costUsd: number | undefined;
  /** Local scores, in scorer order. */
  scores: ScoreResult[];
  /** The item's trace id (the example's `offline_trace_id`). */
  traceId?: string;
  /** The Example the offline tracer appended for this item's trace. */
  example?: Example;
  /**
   * The item's trace as delivered (its root span carrying the scores), in the form
   * `judgeval/testing` reads: assert on it with `findSpan` or `toHaveSpan`.
   */
  trace?: CapturedTrace;
}

/** One scorer over the run. */
export interface ScorerSummary {
  name: string;
  /** Items it scored. */
  scored: number;
  /** Mean score of the scored items; undefined when none. */
  mean: number | undefined;
  /** Share of the scored items that passed, 0 to 1; undefined when none. */
  passRate: number | undefined;
  /** Items on which it threw (or returned no score). */
  errors: number;
}

/** The run as a whole. */
export interface ExperimentSummary {
  total: number;
  ok: number;
  errors: number;
  cancelled: number;
  skipped: number;
  scorers: ScorerSummary[];
  tokens: TokenCounts;
  /** Undefined when no call had a price. */
  costUsd: number | undefined;
  /** Item durations (ok and error items), in milliseconds. */
  durationMs: { p50: number | undefined; p95: number | undefined };
}

/** What {@link runExperiment} resolves with. */
export interface ExperimentResult<I = unknown, O = unknown> {
  /** `<name>-<8 hex>`: the `judgeval.experiment.run` resource attribute of every item's trace. */
  runId: string;
  name: string;
  /** One per dataset item, in dataset order. */
  items: Array<ExperimentItem<I, O>>;
  summary: ExperimentSummary;
  /** The Examples appended by the items' offline tracers, in the order the items finished. */
  dataset: Example[];
  /** True when the run was cancelled before every item ran. */
  cancelled: boolean;
  /** The run's page in `judgeval dev`, when the client sends to a running one. */
  url: string | undefined;
}
