// Apart from the table, so that exporting the date does not load the prices at start-up.
/**
 * The date the built-in table was last checked against the providers' pricing pages:
 * https://openai.com/api/pricing, https://docs.anthropic.com/en/docs/about-claude/pricing,
 * https://ai.google.dev/gemini-api/docs/pricing and https://www.together.ai/pricing.
 */
export const PRICES_AS_OF = "2026-11-30";
