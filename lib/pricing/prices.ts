/** Prices of one model in USD per million tokens. */
export interface ModelPrice {
  /** Non-cached input tokens. */
  input: number;
  /** Generated tokens. */
  output: number;
  /** Input tokens read from the prompt cache; default `input`. */
  cachedInput?: number;
  /** Input tokens written to the prompt cache; default `input`. */
  cacheWrite?: number;
}

/** Model name → price; keys as in {@link DEFAULT_PRICES}. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices in USD per million tokens, as published on each provider's pricing page
 * (standard tier, prompts within the smallest context tier; see `PRICES_AS_OF` in as-of.ts). A model
 * missing here gets no cost at all, never a neighbour's. To update: edit a row, or add
 * one keyed by the model's base name — dated snapshots (`gpt-4o-mini-2024-07-18`,
 * `claude-sonnet-4-20250514`), `-latest`/`-preview`/`-001` suffixes and provider prefixes
 * (`models/`, `openai/`) resolve to it. A dated row wins over its base name when the snapshot's
 * price differs. Keys are matched case-insensitively. Users override at init with
 * `Tracer.init({ prices: { ... } })`.
 *
 * `cachedInput`: reading cached prompt tokens; `cacheWrite`: writing them (Anthropic's
 * 5-minute cache). A missing one bills those tokens at `input`.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  "gpt-5.5": { input: 5, cachedInput: 0.5, output: 30 },
  "gpt-5.5-pro": { input: 30, output: 180 },
  "gpt-5.4": { input: 2.5, cachedInput: 0.25, output: 15 },
  "gpt-5.4-mini": { input: 0.75, cachedInput: 0.075, output: 4.5 },
  "gpt-5.4-nano": { input: 0.2, cachedInput: 0.02, output: 1.25 },
  "gpt-5.4-pro": { input: 30, output: 180 },
  "gpt-5.3-codex": { input: 1.75, cachedInput: 0.175, output: 14 },
  "gpt-5.2": { input: 1.75, cachedInput: 0.175, output: 14 },
  "gpt-5.2-pro": { input: 21, output: 168 },
  "gpt-5.1": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5.1-codex": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5.1-codex-max": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5-pro": { input: 15, output: 120 },
  "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5-chat": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
  "gpt-5-nano": { input: 0.05, cachedInput: 0.005, output: 0.4 },
  "gpt-4.1": { input: 2, cachedInput: 0.5, output: 8 },
  "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4 },
  "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 },
  "gpt-4o-2024-05-13": { input: 5, output: 15 },
  "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  "o1-mini": { input: 1.1, cachedInput: 0.55, output: 4.4 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  "o3-mini": { input: 1.1, cachedInput: 0.55, output: 4.4 },
  "o4-mini": { input: 1.1, cachedInput: 0.275, output: 4.4 },
  "gpt-4-turbo": { input: 10, output: 30 },
  "gpt-4": { input: 30, output: 60 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5 },
  "text-embedding-3-small": { input: 0.02, output: 0 },
  "text-embedding-3-large": { input: 0.13, output: 0 },
  "text-embedding-ada-002": { input: 0.1, output: 0 },

  // Anthropic
  "claude-opus-4-8": { input: 5, cacheWrite: 6.25, cachedInput: 0.5, output: 25 },
  "claude-opus-4-7": { input: 5, cacheWrite: 6.25, cachedInput: 0.5, output: 25 },
  "claude-opus-4-6": { input: 5, cacheWrite: 6.25, cachedInput: 0.5, output: 25 },
  "claude-sonnet-4-6": { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 },
  "claude-opus-4-5": { input: 5, cacheWrite: 6.25, cachedInput: 0.5, output: 25 },
  "claude-opus-4-1": { input: 15, cacheWrite: 18.75, cachedInput: 1.5, output: 75 },
  "claude-opus-4": { input: 15, cacheWrite: 18.75, cachedInput: 1.5, output: 75 },
  "claude-sonnet-4-5": { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 },
  "claude-sonnet-4": { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 },
  "claude-3-7-sonnet": { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 },
  "claude-3-5-sonnet": { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 },
  "claude-haiku-4-5": { input: 1, cacheWrite: 1.25, cachedInput: 0.1, output: 5 },
  "claude-3-5-haiku": { input: 0.8, cacheWrite: 1, cachedInput: 0.08, output: 4 },
  "claude-3-haiku": { input: 0.25, cacheWrite: 0.3, cachedInput: 0.03, output: 1.25 },
  "claude-3-opus": { input: 15, cacheWrite: 18.75, cachedInput: 1.5, output: 75 },

  // Google (Gemini API, prompts up to 200k tokens; `-preview` ids resolve here)
  "gemini-3.1-pro": { input: 2, cachedInput: 0.2, output: 12 },
  "gemini-3-flash": { input: 0.5, cachedInput: 0.05, output: 3 },
  "gemini-3.1-flash-lite": { input: 0.25, output: 1.5 },
  "gemini-3-pro": { input: 2, cachedInput: 0.2, output: 12 },
  "gemini-2.5-pro": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gemini-2.5-flash": { input: 0.3, cachedInput: 0.03, output: 2.5 },
  "gemini-2.5-flash-lite": { input: 0.1, cachedInput: 0.01, output: 0.4 },
  "gemini-2.0-flash": { input: 0.1, cachedInput: 0.025, output: 0.4 },
  "gemini-2.0-flash-lite": { input: 0.075, output: 0.3 },
  "gemini-1.5-pro": { input: 1.25, cachedInput: 0.3125, output: 5 },
  "gemini-1.5-flash": { input: 0.075, cachedInput: 0.01875, output: 0.3 },

  // Together AI (serverless)
  "meta-llama/Llama-3.3-70B-Instruct-Turbo": { input: 0.88, output: 0.88 },
  "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo": { input: 0.18, output: 0.18 },
  "meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo": { input: 0.88, output: 0.88 },
  "meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo": { input: 3.5, output: 3.5 },
  "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8": { input: 0.27, output: 0.85 },
  "meta-llama/Llama-4-Scout-17B-16E-Instruct": { input: 0.18, output: 0.59 },
  "deepseek-ai/DeepSeek-V3": { input: 1.25, output: 1.25 },
  "deepseek-ai/DeepSeek-R1": { input: 3, output: 7 },
  "Qwen/Qwen2.5-72B-Instruct-Turbo": { input: 1.2, output: 1.2 },
  "mistralai/Mixtral-8x7B-Instruct-v0.1": { input: 0.6, output: 0.6 },
  "moonshotai/Kimi-K2-Instruct": { input: 1, output: 3 },
  "openai/gpt-oss-120b": { input: 0.15, output: 0.6 },
  "openai/gpt-oss-20b": { input: 0.05, output: 0.2 },
};
