import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { trace } from "@opentelemetry/api";
import OpenAI from "openai";
import { Tracer, type TracerConfig } from "../../lib/index.js";
import type { StoredSpan } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { io, projectTracer, received } from "../support/tracing.js";
import { usd } from "../llm/support.js";
import { CHAT_ANSWER, CHAT_TOOL_CALL, PRICES, RESPONSE_CACHED } from "./support/recordings.js";
import { expectAllPlayed, startReplayServer, type ReplayServer } from "./support/replay.js";

const ctx = useBackend();
let server: ReplayServer;
const instrumentation = new OpenAIInstrumentation();

beforeAll(async () => {
  server = await startReplayServer();
  // The package is already loaded (an import above): patch it in place, as for an ES module app.
  instrumentation.manuallyInstrument(OpenAI);
});
afterAll(() => {
  instrumentation.disable();
  return server.close();
});
afterEach(() => {
  trace.disable();
  expectAllPlayed(server);
});

/** A tracer registered globally; the instrumentation is pointed at it (each test registers a new one). */
async function globalTracer(config: TracerConfig = {}): Promise<Tracer> {
  const tracer = await projectTracer(ctx, { registerGlobal: true, ...config });
  instrumentation.setTracerProvider(trace.getTracerProvider());
  return tracer;
}

const client = () => new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 });
const fromOpenInference = (spans: StoredSpan[]) => spans.filter((s) => s.attributes["openinference.span.kind"] !== undefined);

describe("OpenInference spans (@arizeai/openinference-instrumentation-openai)", () => {
  it("a chat completion becomes an llm span with model, tokens, cost, messages and tool calls, under the caller", async () => {
    const tracer = await globalTracer();
    server.play(CHAT_TOOL_CALL);
    await Tracer.observe(async function caller() {
      return client().chat.completions.create({
        model: "gpt-4o",
        messages: [
          { role: "system", content: "Answer about the weather." },
          { role: "user", content: "Weather in Shanghai?" },
        ],
      });
    })();
    const spans = await received(ctx, tracer);
    const [llm] = fromOpenInference(spans);
    expect(llm.spanType).toBe("llm");
    expect(llm.parentSpanId).toBe(spans.find((s) => s.name === "caller")?.spanId);
    expect(llm.attributes).toMatchObject({
      "judgment.llm.provider": "openai",
      "judgment.llm.model": "gpt-4o-2024-08-06",
      "judgment.usage.non_cached_input_tokens": 91,
      "judgment.usage.output_tokens": 14,
    });
    expect(llm.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [91, PRICES["gpt-4o"].input],
        [14, PRICES["gpt-4o"].output],
      ]),
      12,
    );
    expect(io(llm).input).toEqual([
      { role: "system", content: "Answer about the weather." },
      { role: "user", content: "Weather in Shanghai?" },
    ]);
    expect(io(llm).output).toEqual([
      {
        role: "assistant",
        tool_calls: [{ id: "call_qOfTGgDrItLORNfC6VwUbyLL", function: { name: "get_weather", arguments: '{"location":"Shanghai"}' } }],
      },
    ]);
    await tracer.shutdown();
  });

  it("a streamed chat completion (model, messages) and a Responses call with cached input: tokens split, cost", async () => {
    const tracer = await globalTracer();
    server.play(CHAT_ANSWER, RESPONSE_CACHED);
    await Tracer.span("caller", async () => {
      const stream = await client().chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "Tell me a joke" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) void chunk;
      await client().responses.create({ model: "gpt-4.1", input: "What can you do?" });
    });
    const spans = await received(ctx, tracer);
    const [chat, response] = fromOpenInference(spans);
    // The instrumentation records no token counts for a streamed chat completion: model and messages only.
    expect(chat.attributes).toMatchObject({ "judgment.span_kind": "llm", "judgment.llm.model": "gpt-4o" });
    expect(chat.attributes["llm.token_count.completion"]).toBeUndefined();
    expect(io(chat).output).toEqual([{ role: "assistant", content: CHAT_ANSWER.choices[0].message.content }]);
    expect(response.attributes).toMatchObject({
      "judgment.llm.model": "gpt-4.1-2025-04-14",
      "judgment.usage.non_cached_input_tokens": 12033 - 11904,
      "judgment.usage.cache_read_input_tokens": 11904,
      "judgment.usage.output_tokens": 44,
    });
    expect(response.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [12033 - 11904, PRICES["gpt-4.1"].input],
        [11904, PRICES["gpt-4.1"].cached],
        [44, PRICES["gpt-4.1"].output],
      ]),
      12,
    );
    await tracer.shutdown();
  });

  it("with a wrapped client too, one llm span per request: the wrapped call's; the instrumentation's stays plain", async () => {
    const tracer = await globalTracer();
    server.play(CHAT_ANSWER);
    const wrapped = Tracer.wrap(client());
    await Tracer.span("caller", () =>
      wrapped.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Tell me a joke" }] }),
    );
    const spans = await received(ctx, tracer);
    const llm = spans.filter((s) => s.spanType === "llm");
    expect(llm.map((s) => s.name)).toEqual(["OPENAI_API_CALL"]);
    expect(llm[0].attributes["judgment.usage.output_tokens"]).toBe(14);
    const [library] = fromOpenInference(spans);
    expect(library.spanType).toBe("span");
    expect(library.attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
    await tracer.shutdown();
  });

  it("the other span kinds, as OpenInference's conventions describe them: agent, tool, retriever, chain, embedding, cache writes", async () => {
    const tracer = await projectTracer(ctx);
    const otel = Tracer.getOTELTracer();
    const span = (name: string, attributes: Record<string, string | number>) => otel.startSpan(name, { attributes }).end();
    Tracer.span("run", () => {
      span("planner", { "openinference.span.kind": "AGENT", "input.value": "Plan a trip", "output.value": "Done" });
      span("search", {
        "openinference.span.kind": "TOOL",
        "tool.name": "search",
        "input.value": '{"q":"hotels"}',
        "input.mime_type": "application/json",
        "output.value": "3 hotels",
      });
      span("retrieve", {
        "openinference.span.kind": "RETRIEVER",
        "input.value": "refund policy",
        "retrieval.documents.0.document.id": "doc-1",
        "retrieval.documents.0.document.content": "Refunds within 30 days.",
        "retrieval.documents.0.document.score": 0.9,
      });
      span("format", { "openinference.span.kind": "CHAIN", "input.value": "x", "output.value": "y" });
      span("guard", { "openinference.span.kind": "GUARDRAIL", "input.value": "x" });
      span("embed", {
        "openinference.span.kind": "EMBEDDING",
        "embedding.model_name": "text-embedding-3-small",
        "llm.provider": "openai",
        "llm.token_count.prompt": 8,
        "llm.token_count.total": 8,
      });
      span("claude", {
        "openinference.span.kind": "LLM",
        "llm.provider": "anthropic",
        "llm.model_name": "claude-sonnet-4-20250514",
        "llm.token_count.prompt": 1000,
        "llm.token_count.prompt_details.cache_read": 200,
        "llm.token_count.prompt_details.cache_write": 300,
        "llm.token_count.completion": 10,
      });
    });
    const spans = await received(ctx, tracer);
    const by = (name: string) => spans.find((s) => s.name === name)!;
    expect(["planner", "search", "retrieve", "format", "guard", "embed", "claude"].map((name) => by(name).spanType)).toEqual([
      "agent",
      "tool",
      "tool",
      "span",
      "span",
      "llm",
      "llm",
    ]);
    expect(io(by("planner"))).toEqual({ input: "Plan a trip", output: "Done" });
    expect(io(by("search"))).toEqual({ input: { q: "hotels" }, output: "3 hotels" });
    expect(io(by("retrieve"))).toEqual({
      input: "refund policy",
      output: [{ id: "doc-1", content: "Refunds within 30 days.", score: 0.9 }],
    });
    expect(io(by("format"))).toEqual({ input: "x", output: "y" });
    expect(by("embed").attributes).toMatchObject({
      "judgment.llm.model": "text-embedding-3-small",
      "judgment.usage.non_cached_input_tokens": 8,
    });
    expect(by("claude").attributes).toMatchObject({
      "judgment.llm.provider": "anthropic",
      "judgment.usage.non_cached_input_tokens": 500,
      "judgment.usage.cache_read_input_tokens": 200,
      "judgment.usage.cache_creation_input_tokens": 300,
      "judgment.usage.output_tokens": 10,
    });
    // claude-sonnet-4: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million
    expect(by("claude").attributes["judgment.usage.total_cost_usd"]).toBeCloseTo((500 * 3 + 200 * 0.3 + 300 * 3.75 + 10 * 15) / 1e6, 12);
    await tracer.shutdown();
  });

  it("recordInputOutput: false drops the instrumentation's messages and values, keeps model and tokens", async () => {
    const tracer = await globalTracer({ recordInputOutput: false });
    server.play(CHAT_TOOL_CALL);
    await Tracer.span("caller", () =>
      client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "my secret" }] }),
    );
    const spans = await received(ctx, tracer);
    expect(JSON.stringify(spans)).not.toContain("my secret");
    expect(JSON.stringify(spans)).not.toContain("get_weather");
    expect(fromOpenInference(spans)[0].attributes["judgment.usage.output_tokens"]).toBe(14);
    await tracer.shutdown();
  });

  it("absorbs hostile flattened keys and counts: no prototype pollution, no giant arrays, the span still arrives", async () => {
    const tracer = await projectTracer(ctx);
    Tracer.span("run", () => {
      Tracer.getOTELTracer()
        .startSpan("hostile", {
          attributes: {
            "openinference.span.kind": "LLM",
            "llm.model_name": "gpt-4o",
            "llm.token_count.prompt": "100",
            "llm.token_count.completion": -5,
            "llm.input_messages.0.message.role": "user",
            "llm.input_messages.0.message.content": "hi",
            "llm.input_messages.__proto__.polluted": "yes",
            "llm.input_messages.0.__proto__.polluted": "yes",
            "llm.input_messages.1.message.constructor.prototype.polluted": "yes",
            "llm.input_messages.99999999.message.role": "far",
            "llm.input_messages.x.message.role": "not an index",
          },
        })
        .end();
    });
    const spans = await received(ctx, tracer);
    const hostile = spans.find((s) => s.name === "hostile")!;
    expect(hostile.spanType).toBe("llm");
    const messages: unknown[] = [{ role: "user", content: "hi" }, JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}')];
    expect(io(hostile).input).toEqual(messages);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(hostile.attributes["judgment.usage.output_tokens"]).toBeUndefined();
    expect(hostile.attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
    await tracer.shutdown();
  });
});
