/**
 * Token counts of one LLM call, split so that no token is counted twice: providers that report
 * cached tokens as part of the prompt (OpenAI, Google) have them subtracted into `cacheRead`.
 */
export interface TokenUsage {
  /** Input tokens billed at the full input price. */
  nonCachedInput?: number;
  /** Input tokens served from the provider's prompt cache. */
  cacheRead?: number;
  /** Input tokens written to the provider's prompt cache (Anthropic). */
  cacheCreation?: number;
  /** Generated tokens, including reasoning/thinking tokens. */
  output?: number;
}

/** Usage from a prompt total that includes its cached part (OpenAI, Google, Together). */
export function usageFromInclusivePrompt(
  prompt: number | undefined,
  cached: number | undefined,
  output: number | undefined,
): TokenUsage | undefined {
  if (prompt === undefined && output === undefined) return undefined;
  const cacheRead = cached && prompt !== undefined ? Math.min(cached, prompt) : undefined;
  return {
    nonCachedInput: prompt === undefined ? undefined : prompt - (cacheRead ?? 0),
    cacheRead,
    output,
  };
}

/** Every input token, cached or not (the GenAI semantic conventions' `input_tokens`). */
export function totalInput(usage: TokenUsage): number | undefined {
  const { nonCachedInput, cacheRead, cacheCreation } = usage;
  if (nonCachedInput === undefined && cacheRead === undefined && cacheCreation === undefined) return undefined;
  return (nonCachedInput ?? 0) + (cacheRead ?? 0) + (cacheCreation ?? 0);
}
