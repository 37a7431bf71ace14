import { lazy } from "../diag/lazy.js";
import type * as Llm from "../llm/wrap-client.js";

// The provider wrappers load on the first `wrap` call, not with the SDK.
const llm = lazy("the LLM client wrappers", () => require("../llm/wrap-client.js") as typeof Llm);

/**
 * Instruments an LLM client so that each API call becomes an `llm` span (provider, model,
 * input, output, token usage, cost) of the tracer active at call time. Supports the official
 * `openai`, `@anthropic-ai/sdk`, `together-ai` and `@google/genai` clients, recognized without
 * importing those packages. Returns the same instance; wrapping again changes nothing. Any
 * other value is returned untouched, with a warning.
 *
 * @example
 * const openai = Tracer.wrap(new OpenAI());
 * await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
 */
export function wrap<T>(client: T): T {
  const loaded = llm();
  return loaded ? loaded.wrap(client) : client;
}
