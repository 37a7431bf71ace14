import Anthropic from "@anthropic-ai/sdk";
import { Tracer, wrap } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { ANTHROPIC_USAGE, startAnthropicServer } from "./servers/anthropic.js";
import type { Loopback } from "./servers/loopback.js";
import { deepFreeze, drain, inAgent, llmSpans, parsed, usd } from "./support.js";

const ctx = useBackend();
let server: Loopback;
beforeAll(async () => {
  server = await startAnthropicServer();
});
afterAll(() => server.close());

const client = () => new Anthropic({ apiKey: "sk-ant-test", baseURL: server.url, maxRetries: 0 });
const request = deepFreeze({
  model: "claude-sonnet-4-20250514",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "Say hello" }],
});
const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens } = ANTHROPIC_USAGE;
// claude-sonnet-4: input 3, cache write 3.75, cache read 0.3, output 15 per million
const COST = usd([
  [input_tokens, 3],
  [cache_creation_input_tokens, 3.75],
  [cache_read_input_tokens, 0.3],
  [output_tokens, 15],
]);
const USAGE_ATTRIBUTES = {
  "judgment.llm.provider": "anthropic",
  "judgment.llm.model": "claude-sonnet-4-20250514",
  "judgment.usage.non_cached_input_tokens": input_tokens,
  "judgment.usage.cache_read_input_tokens": cache_read_input_tokens,
  "judgment.usage.cache_creation_input_tokens": cache_creation_input_tokens,
  "judgment.usage.output_tokens": output_tokens,
  "gen_ai.provider.name": "anthropic",
  "gen_ai.usage.input_tokens": input_tokens + cache_read_input_tokens + cache_creation_input_tokens,
  "gen_ai.usage.output_tokens": output_tokens,
};

describe("@anthropic-ai/sdk", () => {
  it("traces messages.create with cache read/creation usage counted once, and cost", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = Tracer.wrap(client());
    const got = await inAgent(() => wrapped.messages.create(request));
    expect(got).toEqual(await client().messages.create(request));

    const { llm, agent } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
    expect(llm[0].name).toBe("ANTHROPIC_API_CALL");
    expect(llm[0].parentSpanId).toBe(agent!.spanId);
    expect(llm[0].attributes).toMatchObject({ ...USAGE_ATTRIBUTES, "gen_ai.response.finish_reasons": ["end_turn"] });
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(COST, 12);
    expect(parsed(llm[0], "judgment.input")).toEqual(request);
    expect(parsed(llm[0], "judgment.output")).toEqual(JSON.parse(JSON.stringify(got)));
  });

  it("traces messages.create with stream: true to the end of the stream, usage from message_start and message_delta", async () => {
    const tracer = await projectTracer(ctx);
    const events = await drain(await wrap(client()).messages.create({ ...request, stream: true }));
    expect(events).toEqual(await drain(await client().messages.create({ ...request, stream: true })));
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].attributes).toMatchObject(USAGE_ATTRIBUTES);
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(COST, 12);
    expect(parsed(llm[0], "judgment.output")).toBe("Hello from loopback!");
  });

  it("traces messages.stream() once, with finalMessage() and on('text') working", async () => {
    const tracer = await projectTracer(ctx);
    const texts: string[] = [];
    const stream = wrap(client())
      .messages.stream(request)
      .on("text", (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts.join("")).toBe("Hello from loopback!");
    expect(final).toEqual(await client().messages.stream(request).finalMessage());

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
    expect(llm[0].attributes).toMatchObject(USAGE_ATTRIBUTES);
    expect(parsed(llm[0], "judgment.output")).toBe("Hello from loopback!");
  });

  it("traces the beta API: beta.messages.create, beta.messages.stream() and the beta tool runner, one llm span per request", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const created = await inAgent(() => wrapped.beta.messages.create(request));
    expect(created).toEqual(await client().beta.messages.create(request));
    const streamed = await wrapped.beta.messages.stream(request).finalMessage();
    expect(streamed).toEqual(await client().beta.messages.stream(request).finalMessage());
    const echo = { name: "echo", description: "Echoes", input_schema: { type: "object" as const, properties: {} }, run: () => "echoed" };
    const ran = await wrapped.beta.messages.toolRunner({ ...request, tools: [echo] });
    expect(ran.content).toEqual(created.content);

    const { llm, agent } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(3);
    expect(llm[0].parentSpanId).toBe(agent!.spanId);
    for (const span of llm) {
      expect(span.attributes).toMatchObject(USAGE_ATTRIBUTES);
      expect(span.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(COST, 12);
    }
    expect(parsed(llm[1], "judgment.output")).toBe("Hello from loopback!");
  });

  it("marks a stream aborted midway as cancelled, with the text received", async () => {
    const tracer = await projectTracer(ctx);
    const stream = wrap(client()).messages.stream({ ...request, model: "hold-claude" });
    const texts: string[] = [];
    stream.on("text", (t) => {
      texts.push(t);
      stream.abort();
    });
    await expect(stream.done()).rejects.toThrow();
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].ended).toBe(true);
    expect(llm[0].attributes["judgment.llm.stream_cancelled"]).toBe(true);
    expect(parsed(llm[0], "judgment.output")).toBe(texts.join(""));
  });

  it("records errors and cut streams with the provider's message, rethrown unchanged", async () => {
    const tracer = await projectTracer(ctx);
    const bad = { ...request, model: "error-claude" };
    const err = await wrap(client())
      .messages.create(bad)
      .catch((e: unknown) => e);
    const plain = await client()
      .messages.create(bad)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err).toEqual(plain);
    const cut = await drain(await wrap(client()).messages.create({ ...request, model: "cut-claude", stream: true })).catch(
      (e: unknown) => e,
    );
    expect(cut).toMatchObject({ message: expect.stringContaining("terminated") });

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm.map((s) => s.status.code)).toEqual(["error", "error"]);
    expect(llm[0].status.message).toBe((plain as Error).message);
    expect(llm[0].status.message).toContain("model: error-claude not found");
    expect(parsed(llm[1], "judgment.output")).toBe("Hello from");
  });
});
