import Anthropic from "@anthropic-ai/sdk";
import { trace, type Attributes } from "@opentelemetry/api";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, projectTracer, received } from "../support/tracing.js";
import { ANTHROPIC_USAGE, startAnthropicServer } from "../llm/servers/anthropic.js";
import type { Loopback } from "../llm/servers/loopback.js";

const ctx = useBackend();
let server: Loopback;
beforeAll(async () => {
  server = await startAnthropicServer();
});
afterAll(() => server.close());
// Each test that registers globally starts from an empty slot.
afterEach(() => trace.disable());

/** A span made by "some library" through the OpenTelemetry API, as GenAI instrumentations do. */
function librarySpan(name: string, attributes: Attributes): void {
  trace.getTracer("some-genai-library").startSpan(name, { attributes }).end();
}

const CHAT = {
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-5.2",
  "gen_ai.response.model": "gpt-5.2-2026-01-15",
  "gen_ai.usage.input_tokens": 1000,
  "gen_ai.usage.cache_read.input_tokens": 400,
  "gen_ai.usage.output_tokens": 50,
  "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
  "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]',
};

describe("GenAI semantic conventions at export", () => {
  it("a library's chat span becomes an llm span: provider, model, tokens split, cost of the dated snapshot's base model, messages", async () => {
    const tracer = await projectTracer(ctx, { registerGlobal: true });
    Tracer.span("agent", () => librarySpan("chat gpt-5.2", CHAT));
    const chat = (await received(ctx, tracer)).find((s) => s.name === "chat gpt-5.2")!;
    expect(chat.spanType).toBe("llm");
    expect(chat.attributes).toMatchObject({
      "judgment.llm.provider": "openai",
      "judgment.llm.model": "gpt-5.2-2026-01-15",
      "judgment.usage.non_cached_input_tokens": 600,
      "judgment.usage.cache_read_input_tokens": 400,
      "judgment.usage.output_tokens": 50,
      "judgment.input": CHAT["gen_ai.input.messages"],
      "judgment.output": CHAT["gen_ai.output.messages"],
    });
    // gpt-5.2: $1.75 input, $0.175 cached, $14 output per million
    expect(chat.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo((600 * 1.75 + 400 * 0.175 + 50 * 14) / 1e6, 12);
    await tracer.shutdown();
  });

  it("tool and agent spans get their kinds and content; an unknown model gets tokens and no cost; other spans are untouched", async () => {
    const tracer = await projectTracer(ctx);
    const otel = Tracer.getOTELTracer();
    Tracer.span("run", () => {
      otel
        .startSpan("invoke_agent planner", {
          attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.usage.input_tokens": 5, "gen_ai.usage.output_tokens": 5 },
        })
        .end();
      otel
        .startSpan("execute_tool search", {
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "search",
            "gen_ai.tool.call.arguments": '{"q":"x"}',
            "gen_ai.tool.call.result": '["y"]',
          },
        })
        .end();
      otel
        .startSpan("chat mystery", {
          attributes: { ...CHAT, "gen_ai.request.model": "mystery-model-9", "gen_ai.response.model": "mystery-model-9" },
        })
        .end();
      otel.startSpan("plain", { attributes: { "http.method": "GET" } }).end();
    });
    const spans = await received(ctx, tracer);
    const by = (name: string) => spans.find((s) => s.name === name)!;
    expect(by("invoke_agent planner").spanType).toBe("agent");
    expect(by("invoke_agent planner").attributes["judgment.usage.output_tokens"]).toBeUndefined();
    expect(by("execute_tool search")).toMatchObject({
      spanType: "tool",
      attributes: expect.objectContaining({ "judgment.input": '{"q":"x"}', "judgment.output": '["y"]' }),
    });
    expect(by("chat mystery").spanType).toBe("llm");
    expect(by("chat mystery").attributes["judgment.usage.output_tokens"]).toBe(50);
    expect(by("chat mystery").attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
    expect(by("plain").spanType).toBe("span");
    expect(Object.keys(by("plain").attributes).filter((k) => k.startsWith("judgment.") && k !== "judgment.update_id")).toEqual([]);
    await tracer.shutdown();
  });

  it("recordInputOutput: false keeps a library's messages and tool arguments in the process too", async () => {
    const tracer = await projectTracer(ctx, { recordInputOutput: false });
    Tracer.span("run", () => {
      Tracer.getOTELTracer().startSpan("chat", { attributes: CHAT }).end();
      Tracer.getOTELTracer()
        .startSpan("ai.toolCall", {
          attributes: {
            "ai.operationId": "ai.toolCall",
            "ai.toolCall.name": "search",
            "ai.toolCall.args": "{}",
            "ai.toolCall.result": "secret",
          },
        })
        .end();
    });
    const spans = await received(ctx, tracer);
    const sent = JSON.stringify(spans.map((s) => s.attributes));
    expect(sent).not.toContain("hello");
    expect(sent).not.toContain("secret");
    expect(spans.find((s) => s.name === "chat")?.attributes["judgment.usage.output_tokens"]).toBe(50);
    await tracer.shutdown();
  });

  it("one provider call is one llm span: the Anthropic SDK's own span beside a wrapped client stays a plain span", async () => {
    const tracer = await projectTracer(ctx, { registerGlobal: true });
    const client = Tracer.wrap(new Anthropic({ apiKey: "sk-ant-test", baseURL: server.url, maxRetries: 0 }));
    await Tracer.span("agent", () =>
      client.messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 64, messages: [{ role: "user", content: "Say hello" }] }),
    );
    const spans = await received(ctx, tracer);
    const library = spans.filter((s) => s.scope.name !== "judgeval");
    expect(library.length).toBeGreaterThan(0);
    const llm = spans.filter((s) => s.spanType === "llm");
    expect(llm).toHaveLength(1);
    expect(llm[0].name).toBe("ANTHROPIC_API_CALL");
    expect(llm[0].attributes["judgment.usage.output_tokens"]).toBe(ANTHROPIC_USAGE.output_tokens);
    for (const span of library) expect(span.attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
    await tracer.shutdown();
  });

  it("reads the newer conventions: cache_write tokens, the agent, workflow, planning and retrieval operations", async () => {
    const tracer = await projectTracer(ctx);
    const otel = Tracer.getOTELTracer();
    const operation = (name: string, attributes: Attributes) =>
      otel.startSpan(name, { attributes: { "gen_ai.operation.name": name, ...attributes } }).end();
    Tracer.span("run", () => {
      operation("chat", {
        "gen_ai.provider.name": "anthropic",
        "gen_ai.request.model": "claude-sonnet-4-20250514",
        "gen_ai.usage.input_tokens": 1000,
        "gen_ai.usage.cache_read.input_tokens": 200,
        "gen_ai.usage.cache_write.input_tokens": 300,
        "gen_ai.usage.output_tokens": 10,
      });
      operation("retrieval", {
        "gen_ai.retrieval.query.text": "refund policy",
        "gen_ai.retrieval.documents": '[{"id":"doc-1","score":0.9}]',
      });
      for (const name of ["invoke_workflow", "create_agent", "plan"]) operation(name, { "gen_ai.agent.name": "planner" });
      operation("execute_tool", { "gen_ai.tool.name": "search" });
      operation("embeddings", {
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "text-embedding-3-small",
        "gen_ai.usage.input_tokens": 8,
      });
      operation("search_memory", {});
    });
    const spans = await received(ctx, tracer);
    const by = (name: string) => spans.find((s) => s.name === name)!;
    expect(by("chat").attributes).toMatchObject({
      "judgment.usage.non_cached_input_tokens": 500,
      "judgment.usage.cache_read_input_tokens": 200,
      "judgment.usage.cache_creation_input_tokens": 300,
    });
    // claude-sonnet-4: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million
    expect(by("chat").attributes["judgment.usage.total_cost_usd"]).toBeCloseTo((500 * 3 + 200 * 0.3 + 300 * 3.75 + 10 * 15) / 1e6, 12);
    expect(by("retrieval")).toMatchObject({
      spanType: "tool",
      attributes: expect.objectContaining({ "judgment.input": '"refund policy"', "judgment.output": '[{"id":"doc-1","score":0.9}]' }),
    });
    expect(spans.map((s) => [s.name, s.spanType])).toEqual(
      expect.arrayContaining([
        ["invoke_workflow", "agent"],
        ["create_agent", "agent"],
        ["plan", "agent"],
        ["execute_tool", "tool"],
        ["embeddings", "llm"],
        ["search_memory", "span"],
      ]),
    );
    expect(by("embeddings").attributes["judgment.usage.non_cached_input_tokens"]).toBe(8);
    await tracer.shutdown();
  });

  it("reads messages sent as span events: the inference details event, one event per message, the older content events", async () => {
    const tracer = await projectTracer(ctx);
    const otel = Tracer.getOTELTracer();
    const call = { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o" };
    Tracer.span("run", () => {
      otel
        .startSpan("details", { attributes: call })
        .addEvent("gen_ai.client.inference.operation.details", {
          "gen_ai.input.messages": CHAT["gen_ai.input.messages"],
          "gen_ai.output.messages": CHAT["gen_ai.output.messages"],
        })
        .end();
      otel
        .startSpan("per message", { attributes: call })
        .addEvent("gen_ai.system.message", { "gen_ai.system": "openai", "gen_ai.event.content": '{"content":"Be brief."}' })
        .addEvent("gen_ai.user.message", { "gen_ai.system": "openai", content: "Weather?" })
        .addEvent("gen_ai.choice", {
          "gen_ai.event.content": '{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Sunny."}}',
        })
        .end();
      otel
        .startSpan("content events", { attributes: call })
        .addEvent("gen_ai.content.prompt", { "gen_ai.prompt": '[{"role":"user","content":"hi"}]' })
        .addEvent("gen_ai.content.completion", { "gen_ai.completion": "hello" })
        .end();
    });
    const spans = await received(ctx, tracer);
    const by = (name: string) => io(spans.find((s) => s.name === name)!);
    expect(by("details")).toEqual({ input: JSON.parse(CHAT["gen_ai.input.messages"]), output: JSON.parse(CHAT["gen_ai.output.messages"]) });
    expect(by("per message")).toEqual({
      input: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather?" },
      ],
      output: { index: 0, finish_reason: "stop", message: { role: "assistant", content: "Sunny." } },
    });
    expect(by("content events")).toEqual({ input: [{ role: "user", content: "hi" }], output: "hello" });
    await tracer.shutdown();
  });

  it("recordInputOutput: false empties a library's message events too", async () => {
    const tracer = await projectTracer(ctx, { recordInputOutput: false });
    Tracer.span("run", () => {
      Tracer.getOTELTracer()
        .startSpan("chat", { attributes: CHAT })
        .addEvent("gen_ai.user.message", { "gen_ai.event.content": '{"content":"my secret"}' })
        .end();
    });
    const spans = await received(ctx, tracer);
    expect(JSON.stringify(spans)).not.toContain("my secret");
    await tracer.shutdown();
  });
});
