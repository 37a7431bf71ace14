import OpenAI7 from "openai";
import OpenAI6 from "openai-v6";
import { Tracer, wrap } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { IMAGE_BYTES, startOpenAIServer } from "./servers/openai.js";
import { startResponsesReplay } from "./servers/responsesReplay.js";
import type { Loopback } from "./servers/loopback.js";
import { deepFreeze, drain, inAgent, llmSpans, parsed, usd } from "./support.js";

const ctx = useBackend();
let server: Loopback;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

const GPT_4O_MINI = { input: 0.15, cached: 0.075, output: 0.6 };
const messages = [{ role: "user" as const, content: "Say hello" }];

describe.each([
  ["openai 7.x", OpenAI7],
  ["openai 6.x", OpenAI6 as unknown as typeof OpenAI7],
])("%s", (_label, OpenAI) => {
  const client = () => new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 });

  it("traces chat.completions.create as an llm child span with usage, cost, input and output; the result is unchanged", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = Tracer.wrap(client());
    const request = { model: "gpt-4o-mini", messages };
    const [got, expected] = await inAgent(() =>
      Promise.all([wrapped.chat.completions.create(request), client().chat.completions.create(request)]),
    );
    expect(got).toEqual(expected);

    const { llm, agent } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
    const [span] = llm;
    expect(span.name).toBe("OPENAI_API_CALL");
    expect(span.parentSpanId).toBe(agent!.spanId);
    expect(span.ended).toBe(true);
    expect(span.attributes).toMatchObject({
      "judgment.span_kind": "llm",
      "judgment.llm.provider": "openai",
      "judgment.llm.model": "gpt-4o-mini-2024-07-18",
      "judgment.usage.non_cached_input_tokens": 12,
      "judgment.usage.cache_read_input_tokens": 8,
      "judgment.usage.output_tokens": 5,
      "gen_ai.system": "openai",
      "gen_ai.provider.name": "openai",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.usage.input_tokens": 20,
      "gen_ai.usage.output_tokens": 5,
    });
    expect(span.attributes["judgment.usage.cache_creation_input_tokens"]).toBeUndefined();
    expect(span.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [12, GPT_4O_MINI.input],
        [8, GPT_4O_MINI.cached],
        [5, GPT_4O_MINI.output],
      ]),
      12,
    );
    expect(parsed(span, "judgment.input")).toEqual(request);
    expect(parsed(span, "judgment.output")).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("streams: asks for usage on a copy of the request, hides the added usage chunk, ends the span with the text", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const request = deepFreeze({ model: "gpt-4o-mini", messages, stream: true as const });
    const got = await drain(await wrapped.chat.completions.create(request));
    const sent = server.requests[server.requests.length - 1].body;
    const expected = await drain(await client().chat.completions.create(request));
    expect(got).toEqual(expected);
    expect(got.every((c) => c.choices.length === 1 && !("usage" in c))).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
    expect(parsed(llm[0], "judgment.output")).toBe("Hello from loopback!");
    expect(parsed(llm[0], "judgment.input")).toEqual(request);
    expect(llm[0].attributes).toMatchObject({
      "judgment.llm.model": "gpt-4o-mini-2024-07-18",
      "judgment.usage.non_cached_input_tokens": 12,
      "judgment.usage.cache_read_input_tokens": 8,
      "judgment.usage.output_tokens": 5,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(llm[0].attributes["judgment.llm.stream_cancelled"]).toBeUndefined();
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeGreaterThan(0);
  });

  it("leaves a caller's own include_usage as it is, usage chunk included", async () => {
    const tracer = await projectTracer(ctx);
    const request = { model: "gpt-4o-mini", messages, stream: true as const, stream_options: { include_usage: true } };
    const got = await drain(await wrap(client()).chat.completions.create(request));
    expect(got).toEqual(await drain(await client().chat.completions.create(request)));
    expect(got[got.length - 1].usage?.prompt_tokens).toBe(20);
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].attributes["judgment.usage.output_tokens"]).toBe(5);
  });

  it("keeps APIPromise helpers: withResponse() and asResponse()", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const request = { model: "gpt-4o-mini", messages };
    const { data, response, request_id } = await wrapped.chat.completions.create(request).withResponse();
    expect(data.choices[0].message.content).toBe("Hello from loopback!");
    expect(response.status).toBe(200);
    expect(request_id).toBe("req_loopback");
    const raw = await wrapped.chat.completions.create(request).asResponse();
    expect(((await raw.json()) as { id: string }).id).toBe("chatcmpl-1");

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(2);
    expect(llm.every((s) => s.ended)).toBe(true);
    expect(parsed(llm[0], "judgment.output")).toMatchObject({ id: "chatcmpl-1" });
    // the raw body belongs to the caller: that span has no output
    expect(llm[1].attributes["judgment.output"]).toBeUndefined();
  });

  it("keeps the APIPromise's own properties as the SDK made them", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const request = { model: "gpt-4o-mini", messages };
    const shape = (promise: object) =>
      Object.entries(Object.getOwnPropertyDescriptors(promise)).map(([key, d]) => [
        key,
        typeof d.value,
        d.enumerable,
        d.writable,
        d.configurable,
      ]);
    await inAgent(async () => {
      const [traced, bare] = [wrapped.chat.completions.create(request), client().chat.completions.create(request)];
      expect(shape(traced)).toEqual(shape(bare));
      expect(Object.getPrototypeOf(traced)).toBeInstanceOf(Object.getPrototypeOf(bare).constructor as typeof Promise);
      await Promise.all([traced, bare]);
    });
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
  });

  it("keeps Stream helpers: tee() and toReadableStream()", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const request = { model: "gpt-4o-mini", messages, stream: true as const };
    const [left, right] = (await wrapped.chat.completions.create(request)).tee();
    const [a, b] = await Promise.all([drain(left), drain(right)]);
    expect(a).toEqual(b);
    expect(a.map((c) => c.choices[0].delta.content ?? "").join("")).toBe("Hello from loopback!");

    const readable = (await wrapped.chat.completions.create(request)).toReadableStream();
    const lines = (await new Response(readable).text()).trim().split("\n");
    expect(lines.map((l) => JSON.parse(l))).toEqual(a);

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm.map((s) => parsed(s, "judgment.output"))).toEqual(["Hello from loopback!", "Hello from loopback!"]);
  });

  it("ends a stream's span on early break and on controller.abort(), with what was received, marked cancelled", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    for await (const _chunk of await wrapped.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true })) break;

    const held = await wrapped.chat.completions.create({ model: "hold-gpt-4o-mini", messages, stream: true });
    const seen: string[] = [];
    for await (const chunk of held) {
      seen.push(chunk.choices[0]?.delta.content ?? "");
      if (seen.join("") === "Hello") held.controller.abort();
    }

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(2);
    expect(llm.map((s) => [s.ended, s.attributes["judgment.llm.stream_cancelled"], parsed(s, "judgment.output")])).toEqual([
      [true, true, ""],
      [true, true, seen.join("")],
    ]);
    expect(seen.join("")).toMatch(/^Hello/);
    expect(llm.every((s) => s.status.code !== "error")).toBe(true);
  });

  it("records an API error as status ERROR with the provider's message and rethrows it unchanged", async () => {
    const tracer = await projectTracer(ctx);
    const request = { model: "error-model", messages };
    const err = await wrap(client())
      .chat.completions.create(request)
      .catch((e: unknown) => e);
    const plain = await client()
      .chat.completions.create(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toEqual(plain);
    expect((err as Error).message).toBe((plain as Error).message);

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].status).toEqual({ code: "error", message: (plain as Error).message });
    expect(llm[0].status.message).toContain("The model `error-model` does not exist");
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
  });

  it("records a stream cut off midway as an error, with the text received so far", async () => {
    const tracer = await projectTracer(ctx);
    const got: string[] = [];
    const err = await (async () => {
      for await (const c of await wrap(client()).chat.completions.create({ model: "cut-gpt-4o-mini", messages, stream: true }))
        got.push(c.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);
    // undici's TypeError comes from another realm than jest's: compare by name
    expect(err).toMatchObject({ name: "TypeError", message: "terminated" });
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].status.code).toBe("error");
    expect(llm[0].status.message).toContain("terminated");
    expect(parsed(llm[0], "judgment.output")).toBe(got.join(""));
    expect(got.join("")).toBe("Hello from");
  });

  it("traces chat.completions.parse once, with the parsed result unchanged", async () => {
    const tracer = await projectTracer(ctx);
    const request = {
      model: "gpt-4o-mini",
      messages,
      response_format: {
        type: "json_schema" as const,
        json_schema: {
          name: "a",
          strict: true,
          schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false },
        },
      },
    };
    const got = await wrap(client()).chat.completions.parse(request);
    expect(got.choices[0].message.parsed).toEqual({ answer: "hi" });
    expect(got).toEqual(await client().chat.completions.parse(request));
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
    expect(llm[0].attributes["judgment.usage.output_tokens"]).toBe(5);
  });

  it("traces responses.create, plain and streamed", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const plain = await wrapped.responses.create({ model: "gpt-4o-mini", input: "Say hello" });
    expect(plain).toEqual(await client().responses.create({ model: "gpt-4o-mini", input: "Say hello" }));
    expect(plain.output_text).toBe("Hello from loopback!");
    const events = await drain(await wrapped.responses.create({ model: "gpt-4o-mini", input: "Say hello", stream: true }));
    expect(events).toEqual(await drain(await client().responses.create({ model: "gpt-4o-mini", input: "Say hello", stream: true })));

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(2);
    for (const span of llm) {
      expect(span.attributes).toMatchObject({
        "judgment.llm.model": "gpt-4o-mini-2024-07-18",
        "judgment.usage.non_cached_input_tokens": 20,
        "judgment.usage.cache_read_input_tokens": 10,
        "judgment.usage.output_tokens": 6,
      });
      expect(span.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
        usd([
          [20, GPT_4O_MINI.input],
          [10, GPT_4O_MINI.cached],
          [6, GPT_4O_MINI.output],
        ]),
        12,
      );
    }
    expect(parsed(llm[0], "judgment.output")).toMatchObject({ id: "resp_1", status: "completed" });
    expect(parsed(llm[1], "judgment.output")).toBe("Hello from loopback!");
  });

  it("traces responses.parse and responses.stream() once each; a parse that fails keeps the call's usage and records the error", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const parsedText = await wrapped.responses.parse({ model: "gpt-4o-mini", input: "Say hello" });
    expect(parsedText.output_text).toBe("Hello from loopback!");
    // responses.stream() assembles the output items of a recorded stream (the weather tool call).
    const replay = await startResponsesReplay();
    const recorded = Tracer.wrap(new OpenAI({ apiKey: "sk-test", baseURL: replay.url, maxRetries: 0 }));
    const final = await recorded.responses.stream({ model: "gpt-5.1", input: "What is the weather in San Francisco?" }).finalResponse();
    await replay.close();
    expect(final.output[0]).toMatchObject({ type: "function_call", name: "weather" });
    // The loopback answers in plain text: a JSON output format cannot parse it.
    const asJson = {
      model: "gpt-4o-mini",
      input: "Say hello",
      text: {
        format: {
          type: "json_schema" as const,
          name: "a",
          strict: true,
          schema: { type: "object", properties: {}, additionalProperties: false },
        },
      },
    };
    const thrown = await wrapped.responses.parse(asJson).then(
      () => undefined,
      (err: unknown) => err,
    );
    const bare = await client()
      .responses.parse(asJson)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(thrown).toBeInstanceOf(Error);
    expect(String(thrown)).toBe(String(bare));

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(3);
    expect(llm[1].attributes).toMatchObject({
      "judgment.llm.model": "gpt-5.1",
      "judgment.usage.non_cached_input_tokens": 45,
      "judgment.usage.output_tokens": 24,
    });
    for (const span of [llm[0], llm[2]])
      expect(span.attributes).toMatchObject({ "judgment.usage.non_cached_input_tokens": 20, "judgment.usage.output_tokens": 6 });
    expect(llm.map((s) => s.status.code)).toEqual(["unset", "unset", "error"]);
    expect(llm[2].status.message).toBe((thrown as Error).message);
    expect(llm[2].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [20, GPT_4O_MINI.input],
        [10, GPT_4O_MINI.cached],
        [6, GPT_4O_MINI.output],
      ]),
      12,
    );
  });

  it("traces embeddings.create with vector sizes instead of vectors", async () => {
    const tracer = await projectTracer(ctx);
    const request = { model: "text-embedding-3-small", input: ["a", "b"] };
    const got = await wrap(client()).embeddings.create(request);
    expect(got).toEqual(await client().embeddings.create(request));
    expect(got.data[0].embedding).toEqual([0.5, -0.25, 0.125, 1]);
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].attributes).toMatchObject({ "gen_ai.operation.name": "embeddings", "judgment.usage.non_cached_input_tokens": 7 });
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(usd([[7, 0.02]]), 12);
    expect(parsed(llm[0], "judgment.output")).toMatchObject({
      data: [
        { index: 0, dimensions: 4 },
        { index: 1, dimensions: 4 },
      ],
    });
  });

  it("traces images.generate, recording the size of base64 images rather than their data", async () => {
    const tracer = await projectTracer(ctx);
    const request = { model: "gpt-image-1", prompt: "a loopback", n: 2 };
    const got = await wrap(client()).images.generate(request);
    expect(got).toEqual(await client().images.generate(request));
    const { llm } = await llmSpans(ctx, tracer);
    const output = llm[0].attributes["judgment.output"] as string;
    expect(output).not.toContain(got.data![0].b64_json!.slice(0, 40));
    expect(parsed(llm[0], "judgment.output")).toMatchObject({
      data: [{ b64_json: `[base64 image, ${IMAGE_BYTES} bytes]` }, { b64_json: `[base64 image, ${IMAGE_BYTES} bytes]` }],
    });
    expect(llm[0].attributes).toMatchObject({ "gen_ai.operation.name": "image_generation", "judgment.usage.output_tokens": 272 });
    // no price for gpt-image-1 in the table: no cost attribute rather than 0
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
  });
});
