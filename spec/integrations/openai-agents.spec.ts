import {
  Agent,
  InputGuardrailTripwireTriggered,
  OpenAIChatCompletionsModel,
  run,
  setDefaultOpenAIClient,
  setTraceProcessors,
  setTracingDisabled,
  tool,
  withTrace,
  type TracingProcessor,
} from "@openai/agents";
import OpenAI from "openai";
import { z } from "zod";
import { Tracer } from "../../lib/index.js";
import type { StoredSpan } from "../../lib/dev/index.js";
import { JudgevalTracingProcessor } from "../../lib/integrations/openai-agents/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";
import { usd } from "../llm/support.js";
import { CHAT_ANSWER, CHAT_TOOL_CALL, PRICES, RESPONSE_ANSWER, RESPONSE_FUNCTION_CALL } from "./support/recordings.js";
import { expectAllPlayed, startReplayServer, type ReplayServer } from "./support/replay.js";
import { outline } from "./support/tree.js";
import { weatherRunOutline } from "./support/agents.js";

const ctx = useBackend();
const DONE = Promise.resolve();

/** A numeric attribute summed over spans. */
function sum(spans: StoredSpan[], key: string): number {
  return spans.reduce((total, s) => total + (typeof s.attributes[key] === "number" ? s.attributes[key] : 0), 0);
}
let server: ReplayServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startReplayServer();
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 });
  setDefaultOpenAIClient(client);
  // The SDK turns tracing off under NODE_ENV=test; judgeval replaces its exporter to OpenAI.
  setTracingDisabled(false);
  setTraceProcessors([new JudgevalTracingProcessor()]);
});
afterAll(() => server.close());
afterEach(() => expectAllPlayed(server));

const getWeather = tool({
  name: "get_weather",
  description: "Current weather of a city",
  parameters: z.object({ location: z.string() }),
  execute: async ({ location }) => `Sunny in ${location}`,
});

describe("JudgevalTracingProcessor", () => {
  it("nests a run (agent, turns, responses with usage and cost, function tool) under the caller's span", async () => {
    const tracer = await projectTracer(ctx);
    server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER);
    const agent = new Agent({ name: "Weather", instructions: "Answer about the weather.", tools: [getWeather], model: "gpt-4o" });
    const result = await Tracer.observe(async function caller(question: string) {
      return (await run(agent, question)).finalOutput;
    })("Weather in Shanghai?");
    expect(result).toBe("Hello! How can I assist you today?");

    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual(weatherRunOutline("caller"));
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const [first, second] = spans.filter((s) => s.spanType === "llm");
    expect(first.attributes).toMatchObject({
      "judgment.llm.provider": "openai",
      "judgment.llm.model": "gpt-4o-2024-08-06",
      "judgment.usage.non_cached_input_tokens": 67,
      "judgment.usage.output_tokens": 17,
      "gen_ai.response.id": RESPONSE_FUNCTION_CALL.id,
    });
    expect(first.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [67, PRICES["gpt-4o"].input],
        [17, PRICES["gpt-4o"].output],
      ]),
      12,
    );
    expect(io(first).output).toEqual(RESPONSE_FUNCTION_CALL.output);
    expect(second.attributes).toMatchObject({
      "judgment.llm.model": "gpt-4o-mini-2024-07-18",
      "judgment.usage.non_cached_input_tokens": 9,
      "judgment.usage.output_tokens": 10,
    });
    expect(second.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [9, PRICES["gpt-4o-mini"].input],
        [10, PRICES["gpt-4o-mini"].output],
      ]),
      12,
    );
    const weather = one(spans, "get_weather");
    expect(io(weather)).toEqual({ input: { location: "Shanghai, China" }, output: "Sunny in Shanghai, China" });
    expect(one(spans, "Weather").attributes["openai_agents.tools"]).toEqual(["get_weather"]);
  });

  it("traces a streamed run the same way, usage from the streamed responses", async () => {
    const tracer = await projectTracer(ctx);
    server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER);
    const agent = new Agent({ name: "Weather", tools: [getWeather], model: "gpt-4o" });
    const text = await Tracer.span("caller", async () => {
      const result = await run(agent, "Weather in Shanghai?", { stream: true });
      let out = "";
      for await (const chunk of result.toTextStream()) out += chunk;
      await result.completed;
      return out;
    });
    expect(text).toBe("Hello! How can I assist you today?");

    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual(weatherRunOutline("caller"));
    expect(spans.filter((s) => s.spanType === "llm").map((s) => s.attributes["judgment.usage.output_tokens"])).toEqual([17, 10]);
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it("records Chat Completions generations with model, usage and cost", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL, CHAT_ANSWER);
    const agent = new Agent({ name: "Weather", tools: [getWeather], model: new OpenAIChatCompletionsModel(client, "gpt-4o") });
    await Tracer.span("caller", () => run(agent, "Weather in Shanghai?"));

    const spans = await received(ctx, tracer);
    const llm = spans.filter((s) => s.spanType === "llm");
    expect(llm.map((s) => s.name)).toEqual(["generation", "generation"]);
    expect(llm[0].attributes).toMatchObject({
      "judgment.llm.model": "gpt-4o-2024-08-06",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.operation.name": "chat",
      "judgment.usage.non_cached_input_tokens": 91,
      "judgment.usage.output_tokens": 14,
    });
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [91, PRICES["gpt-4o"].input],
        [14, PRICES["gpt-4o"].output],
      ]),
      12,
    );
    expect(io(llm[1]).output).toMatchObject({ role: "assistant", content: CHAT_ANSWER.choices[0].message.content });
    expect(io(one(spans, "get_weather")).input).toEqual({ location: "Shanghai" });
  });

  it("records a handoff between agents", async () => {
    const tracer = await projectTracer(ctx);
    // The recorded function call, addressed to the handoff tool the SDK offers the model.
    const handoffCall = {
      ...RESPONSE_FUNCTION_CALL,
      output: [{ ...RESPONSE_FUNCTION_CALL.output[0], name: "transfer_to_Forecaster", arguments: "{}" }],
    };
    server.play(handoffCall, RESPONSE_ANSWER);
    const forecaster = new Agent({ name: "Forecaster", instructions: "Forecast.", model: "gpt-4o-mini" });
    const triage = new Agent({ name: "Triage", instructions: "Route.", handoffs: [forecaster], model: "gpt-4o" });
    await Tracer.span("caller", () => run(triage, "Will it rain?"));

    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual([
      "caller (span)",
      "  Agent workflow (span)",
      "    Triage (agent)",
      "      turn 1 (span)",
      "        response (llm)",
      "        handoff to Forecaster (span)",
      "    Forecaster (agent)",
      "      turn 2 (span)",
      "        response (llm)",
    ]);
    expect(one(spans, "handoff to Forecaster").attributes).toMatchObject({
      "openai_agents.from_agent": "Triage",
      "openai_agents.to_agent": "Forecaster",
    });
    expect(one(spans, "Triage").attributes["openai_agents.handoffs"]).toEqual(["Forecaster"]);
  });

  it("records a tripped input guardrail and the failed run, each error once", async () => {
    const tracer = await projectTracer(ctx);
    const agent = new Agent({
      name: "Guarded",
      model: "gpt-4o",
      inputGuardrails: [{ name: "no_secrets", execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: "secret" } }) }],
    });
    await expect(Tracer.span("caller", () => run(agent, "my password is hunter2"))).rejects.toBeInstanceOf(InputGuardrailTripwireTriggered);

    const spans = await received(ctx, tracer);
    // The guardrail runs beside the first turn: either may start first.
    expect(outline(spans).sort()).toEqual(
      ["caller (span)", "  Agent workflow (span)", "    Guarded (agent)", "      turn 1 (span)", "      no_secrets (span)"].sort(),
    );
    expect(one(spans, "no_secrets").attributes["openai_agents.triggered"]).toBe(true);
    const failed = spans.filter((s) => s.status.code === "error").map((s) => s.name);
    expect(failed.sort()).toEqual(["Agent workflow", "Guarded", "caller", "turn 1"]);
    for (const span of spans) expect(span.events.filter((e) => e.name === "exception")).toHaveLength(failed.includes(span.name) ? 1 : 0);
    expect(one(spans, "Guarded").status.message).toContain("Input guardrail triggered");
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it("keeps concurrent runs apart, each under its own caller, in one trace per caller", async () => {
    const tracer = await projectTracer(ctx);
    server.play(RESPONSE_ANSWER, RESPONSE_ANSWER);
    const agent = new Agent({ name: "Echo", model: "gpt-4o-mini" });
    await Promise.all(["a", "b"].map((who) => Tracer.span(`caller-${who}`, () => run(agent, who))));

    const spans = await received(ctx, tracer);
    for (const who of ["a", "b"]) {
      const caller = one(spans, `caller-${who}`);
      const inTrace = spans.filter((s) => s.traceId === caller.traceId);
      expect(inTrace.map((s) => s.spanType).sort()).toEqual(["agent", "llm", "span", "span", "span"]);
    }
  });

  it("records a failing tool once, as the SDK reports it back to the model", async () => {
    const tracer = await projectTracer(ctx);
    server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER);
    const broken = tool({
      name: "get_weather",
      description: "Current weather of a city",
      parameters: z.object({ location: z.string() }),
      execute: async () => {
        throw new Error("weather service down");
      },
    });
    const agent = new Agent({ name: "Weather", tools: [broken], model: "gpt-4o" });
    await Tracer.span("caller", () => run(agent, "Weather in Shanghai?"));

    const spans = await received(ctx, tracer);
    const failed = spans.filter((s) => s.status.code === "error");
    expect(failed.map((s) => s.name)).toEqual(["get_weather"]);
    expect(failed[0].status.message).toContain("Error running tool");
    expect(failed[0].events.filter((e) => e.name === "exception")).toHaveLength(1);
  });

  it("groups the runs of a withTrace block under its caller, with the tracer scoped by tracer.run", async () => {
    const tracer = await projectTracer(ctx, { setActive: false });
    server.play(RESPONSE_ANSWER, RESPONSE_ANSWER);
    const agent = new Agent({ name: "Echo", model: "gpt-4o-mini" });
    await tracer.run(() =>
      Tracer.span("caller", () =>
        withTrace("two runs", async () => {
          await run(agent, "one");
          await run(agent, "two");
        }),
      ),
    );
    const spans = await received(ctx, tracer);
    expect(outline(spans).filter((line) => !line.startsWith("      "))).toEqual([
      "caller (span)",
      "  Agent workflow (span)",
      "    Echo (agent)",
      "  Agent workflow (span)",
      "    Echo (agent)",
    ]);
  });

  describe("with the model's OpenAI client also wrapped by Tracer.wrap", () => {
    afterEach(() => {
      setDefaultOpenAIClient(client);
      setTraceProcessors([new JudgevalTracingProcessor()]);
    });

    /** The llm spans' usage and cost summed over a trace: what a trace's totals add up. */
    const totals = (spans: StoredSpan[]) => ({
      llm: spans.filter((s) => s.spanType === "llm").map((s) => s.name),
      input: sum(spans, "judgment.usage.non_cached_input_tokens"),
      output: sum(spans, "judgment.usage.output_tokens"),
      cost: sum(spans, "judgment.usage.total_cost_usd"),
    });

    it("one llm span per request: the wrapped call, nested in the SDK's response span, which stays a plain span", async () => {
      const tracer = await projectTracer(ctx);
      // Another processor first, as addTraceProcessor after the SDK's own exporter: the SDK tells
      // judgeval's of the response span only after that one's callback settled.
      const other: TracingProcessor = {
        onTraceStart: () => DONE,
        onTraceEnd: () => DONE,
        onSpanStart: () => DONE,
        onSpanEnd: () => DONE,
        forceFlush: () => DONE,
        shutdown: () => DONE,
      };
      setTraceProcessors([other, new JudgevalTracingProcessor()]);
      setDefaultOpenAIClient(Tracer.wrap(client));
      server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER);
      const agent = new Agent({ name: "Weather", tools: [getWeather], model: "gpt-4o" });
      await Tracer.span("caller", () => run(agent, "Weather in Shanghai?"));

      const spans = await received(ctx, tracer);
      expect(outline(spans)).toEqual([
        "caller (span)",
        "  Agent workflow (span)",
        "    Weather (agent)",
        "      turn 1 (span)",
        "        response (span)",
        "          OPENAI_API_CALL (llm)",
        "        get_weather (tool)",
        "      turn 2 (span)",
        "        response (span)",
        "          OPENAI_API_CALL (llm)",
      ]);
      // The recordings: 67 in / 17 out on gpt-4o, then 9 in / 10 out on gpt-4o-mini, each counted once.
      expect(totals(spans)).toEqual({
        llm: ["OPENAI_API_CALL", "OPENAI_API_CALL"],
        input: 67 + 9,
        output: 17 + 10,
        cost: expect.closeTo(
          usd([
            [67, PRICES["gpt-4o"].input],
            [17, PRICES["gpt-4o"].output],
            [9, PRICES["gpt-4o-mini"].input],
            [10, PRICES["gpt-4o-mini"].output],
          ]),
          12,
        ),
      });
      for (const response of spans.filter((s) => s.name === "response")) {
        expect(Object.keys(response.attributes).filter((k) => k.startsWith("judgment.usage.") || k.startsWith("judgment.llm."))).toEqual(
          [],
        );
      }
    });

    it("the same for a streamed run and for Chat Completions generations", async () => {
      const tracer = await projectTracer(ctx);
      const wrapped = Tracer.wrap(client);
      setDefaultOpenAIClient(wrapped);
      server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER, CHAT_TOOL_CALL, CHAT_ANSWER);
      await Tracer.span("caller", async () => {
        const streamed = await run(new Agent({ name: "Weather", tools: [getWeather], model: "gpt-4o" }), "Weather in Shanghai?", {
          stream: true,
        });
        for await (const chunk of streamed.toTextStream()) void chunk;
        await streamed.completed;
        const chat = new Agent({ name: "Weather", tools: [getWeather], model: new OpenAIChatCompletionsModel(wrapped, "gpt-4o") });
        await run(chat, "Weather in Shanghai?");
      });

      const spans = await received(ctx, tracer);
      expect(totals(spans)).toMatchObject({ llm: Array(4).fill("OPENAI_API_CALL"), input: 67 + 9 + 91 + 23, output: 17 + 10 + 14 + 14 });
      for (const call of spans.filter((s) => s.name === "OPENAI_API_CALL")) {
        expect(["response", "generation"]).toContain(spans.find((s) => s.spanId === call.parentSpanId)?.name);
      }
      expect(spans.filter((s) => s.name === "response" || s.name === "generation").map((s) => s.spanType)).toEqual(Array(4).fill("span"));
    });
  });
});
