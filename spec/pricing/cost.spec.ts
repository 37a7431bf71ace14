import OpenAI from "openai";
import { candidateNames, costUsd, findPrice } from "../../lib/pricing/cost.js";
import { DEFAULT_PRICES } from "../../lib/pricing/prices.js";
import { wrap } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { startOpenAIServer } from "../llm/servers/openai.js";
import { llmSpans, usd } from "../llm/support.js";

describe("price lookup", () => {
  it.each([
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
    ["openai/gpt-4o", "gpt-4o"],
    ["GPT-4o", "gpt-4o"],
    ["gpt-3.5-turbo-0125", "gpt-3.5-turbo"],
    ["models/gemini-2.0-flash", "gemini-2.0-flash"],
    ["gemini-2.0-flash-001", "gemini-2.0-flash"],
    ["gemini-2.5-flash-preview-05-20", "gemini-2.5-flash"],
    ["gemini-2.5-flash-lite", "gemini-2.5-flash-lite"],
    ["claude-sonnet-4-20250514", "claude-sonnet-4"],
    ["claude-3-5-haiku-latest", "claude-3-5-haiku"],
    ["claude-opus-4-1@20250805", "claude-opus-4-1"],
    ["meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta-llama/Llama-3.3-70B-Instruct-Turbo"],
    ["openai/gpt-oss-120b", "openai/gpt-oss-120b"],
    // Models of the 2026 recordings
    ["gpt-5.2-2026-01-15", "gpt-5.2"],
    ["gpt-5.4-2026-03-05", "gpt-5.4"],
    ["gpt-5.4-mini-2026-03-17", "gpt-5.4-mini"],
    ["gpt-5.1-codex-max", "gpt-5.1-codex-max"],
    ["gpt-5.3-codex", "gpt-5.3-codex"],
    ["claude-opus-4-8", "claude-opus-4-8"],
    ["claude-sonnet-4-6", "claude-sonnet-4-6"],
    ["gemini-3.1-pro-preview", "gemini-3.1-pro"],
    ["gemini-3-flash-preview", "gemini-3-flash"],
  ])("%s is priced as %s", (model, row) => {
    expect(findPrice(model)).toBe(DEFAULT_PRICES[row]);
  });

  it("prefers a dated row whose price differs from its base model's", () => {
    expect(findPrice("gpt-4o-2024-05-13")).toBe(DEFAULT_PRICES["gpt-4o-2024-05-13"]);
    expect(findPrice("gpt-4o-2024-08-06")).toBe(DEFAULT_PRICES["gpt-4o"]);
  });

  it("never prices a model by a neighbour's row: a variant the table lacks has no price", () => {
    for (const model of ["gpt-5.4-turbo", "gpt-5.21", "claude-opus-4-9", "gemini-3.1-pro-preview-customtools"])
      expect(findPrice(model)).toBeUndefined();
  });

  it("knows no price for an unknown model", () => {
    expect(findPrice("my-own-model")).toBeUndefined();
    expect(candidateNames("models/x-2024-01-02")).toEqual(["models/x-2024-01-02", "models/x", "x-2024-01-02", "x"]);
  });

  it("lets overrides add and replace rows, with the same resolution, and skips invalid rows", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const overrides = { "My-Model": { input: 1, output: 2 }, "gpt-4o": { input: 9, output: 9 }, broken: { input: -1, output: 1 } };
    expect(findPrice("my-model-2025-01-01", overrides)).toBe(overrides["My-Model"]);
    expect(findPrice("openai/gpt-4o-2024-08-06", overrides)).toBe(overrides["gpt-4o"]);
    expect(findPrice("broken", overrides)).toBeUndefined();
    expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringContaining('ignoring "broken"')]);
    warn.mockRestore();
  });

  it("bills cached reads and cache writes at their own prices, and knows no cost without token counts", () => {
    const price = { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 };
    expect(costUsd(price, { nonCachedInput: 10, cacheRead: 100, cacheCreation: 1000, output: 5 })).toBeCloseTo(
      usd([
        [10, 3],
        [100, 0.3],
        [1000, 3.75],
        [5, 15],
      ]),
      15,
    );
    expect(costUsd({ input: 1, output: 2 }, { cacheRead: 1_000_000 })).toBe(1);
    expect(costUsd(price, {})).toBeUndefined();
  });
});

describe("the prices option of Tracer.init", () => {
  const ctx = useBackend();

  it("prices a model the table lacks; an unpriced model gets no cost attribute", async () => {
    const server = await startOpenAIServer({ together: true });
    try {
      const tracer = await projectTracer(ctx, { prices: { "acme/finetune": { input: 2, cachedInput: 1, output: 4 } } });
      const client = wrap(new OpenAI({ apiKey: "k", baseURL: `${server.url}/v1`, maxRetries: 0 }));
      await client.chat.completions.create({ model: "acme/finetune", messages: [{ role: "user", content: "hi" }] });
      await client.chat.completions.create({ model: "acme/other", messages: [{ role: "user", content: "hi" }] });
      const { llm } = await llmSpans(ctx, tracer);
      expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
        usd([
          [20, 2],
          [5, 4],
        ]),
        12,
      );
      expect(llm[1].attributes["judgment.usage.output_tokens"]).toBe(5);
      expect("judgment.usage.total_cost_usd" in llm[1].attributes).toBe(false);
    } finally {
      await server.close();
    }
  });
});
