import type { TokenUsage } from "../pricing/usage.js";

/** What a finished call (or a consumed stream) says about itself. */
export interface CallSummary {
  /** The model that answered, as the response names it. */
  model?: string;
  /** The provider's response id. */
  id?: string;
  usage?: TokenUsage;
  /** What to record as `judgment.output`. */
  output?: unknown;
  finishReasons?: string[];
}

/**
 * Folds the chunks/events of one streamed response into a {@link CallSummary}.
 * `add` returns false for a chunk the caller must not see (one the wrapper asked for itself).
 */
export interface StreamAccumulator {
  add(chunk: unknown): boolean;
  summary(): CallSummary;
}

/** One traced method of a provider client, e.g. `chat.completions.create`. */
export interface Operation {
  /** Property path from the client to the object that owns the method. */
  readonly resource: readonly string[];
  readonly method: string;
  /** `gen_ai.operation.name`. */
  readonly operation: string;
  /** The request actually sent, from the caller's; must return a copy rather than mutate it. */
  send?(request: unknown): unknown;
  /** Summarizes a complete (non-streamed) response. */
  summarize(response: unknown): CallSummary;
  /** A fresh accumulator for a streamed response; `sent` is what {@link send} returned. */
  stream?(request: unknown, sent: unknown): StreamAccumulator;
}

/** How one provider's client is recognized and which of its methods are traced. */
export interface Integration {
  /** `judgment.llm.provider`. */
  readonly provider: string;
  /** `gen_ai.provider.name` for this client. */
  genAiProvider(client: object): string;
  /** Span name of its calls. */
  readonly spanName: string;
  /** Class names of this provider's clients (any class in the prototype chain). */
  readonly classNames: readonly string[];
  /** True when `client` looks like this provider's client, for bundles that renamed its class. */
  hasShape(client: object): boolean;
  readonly operations: readonly Operation[];
}
