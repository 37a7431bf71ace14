import { createHook } from "node:async_hooks";
import OpenAI from "openai";
import { AlwaysOffSampler } from "@opentelemetry/sdk-trace";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { drain, llmSpans, parsed } from "./support.js";

/*
 * The work a wrapped client adds to each call, counted rather than timed: promises made, and
 * reads of the caller's request. The OpenAI API is answered from memory by the client's own
 * `fetch` option, so every call does the same work and nothing but the wrapper differs.
 */

const ctx = useBackend();

const head = (object: string) => ({ id: "chatcmpl-1", object, created: 1_700_000_000, model: "gpt-4o-mini-2024-07-18" });
const USAGE = { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 };
const COMPLETION = JSON.stringify({
  ...head("chat.completion"),
  choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }],
  usage: USAGE,
});

/** A chat-completions stream of `n` content chunks (and the usage chunk when asked for), as server-sent events. */
function events(n: number, usage: boolean): string {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ ...head("chat.completion.chunk"), choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let text = chunk({ role: "assistant", content: "" }, null);
  for (let i = 0; i < n; i++) text += chunk({ content: `t${i} ` }, null);
  text += chunk({}, "stop");
  if (usage) text += `data: ${JSON.stringify({ ...head("chat.completion.chunk"), choices: [], usage: USAGE })}\n\n`;
  return `${text}data: [DONE]\n\n`;
}

const answer = async (_url: unknown, init?: { body?: unknown; headers?: unknown }): Promise<Response> => {
  const body = JSON.parse(String(init?.body)) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
  if (!body.stream) return new Response(COMPLETION, { headers: { "content-type": "application/json" } });
  const chunks = Number(new Headers(init?.headers as HeadersInit).get("x-chunks") ?? 10);
  return new Response(events(chunks, body.stream_options?.include_usage === true), { headers: { "content-type": "text/event-stream" } });
};

const client = () => new OpenAI({ apiKey: "sk-work-spec-key", fetch: answer, maxRetries: 0 });
const messages = [{ role: "user" as const, content: "Say hello" }];

/** Promises made while `fn` runs and settles: the fewest over a few runs (a background timer may add to one). */
async function promisesMade(fn: () => Promise<unknown>): Promise<number> {
  let fewest = Infinity;
  for (let run = 0; run < 3; run++) {
    let made = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === "PROMISE") made++;
      },
    }).enable();
    try {
      await fn();
    } finally {
      hook.disable();
    }
    fewest = Math.min(fewest, made);
  }
  return fewest;
}

describe("work a wrapped OpenAI client adds per call", () => {
  const chat = (c: OpenAI) => () => c.chat.completions.create({ model: "gpt-4o-mini", messages });
  const stream = (c: OpenAI, chunks: number) => async () =>
    drain(
      await c.chat.completions.create(
        { model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } },
        { headers: { "x-chunks": String(chunks) } },
      ),
    );

  it("a non-streaming call makes no promise of its own, with or without withResponse(); its span is complete", async () => {
    const tracer = await projectTracer(ctx);
    const plain = client();
    const wrapped = Tracer.wrap(client());
    for (let i = 0; i < 3; i++) await Promise.all([chat(plain)(), chat(wrapped)()]); // warm: lazy loads done

    expect(await promisesMade(chat(wrapped))).toBe(await promisesMade(chat(plain)));
    const withResponse = (c: OpenAI) => () => c.chat.completions.create({ model: "gpt-4o-mini", messages }).withResponse();
    // withResponse() reads the body through the SDK's parse(): one reaction starts that reading
    expect(await promisesMade(withResponse(wrapped))).toBeLessThanOrEqual((await promisesMade(withResponse(plain))) + 1);

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm.length).toBeGreaterThanOrEqual(3);
    expect(llm[0].attributes).toMatchObject({
      "judgment.span_kind": "llm",
      "judgment.llm.provider": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 9,
      "gen_ai.usage.output_tokens": 3,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(parsed(llm[0], "judgment.output")).toEqual(JSON.parse(COMPLETION));
  });

  it("a stream costs one promise per item read, whatever its length", async () => {
    await projectTracer(ctx);
    const plain = client();
    const wrapped = Tracer.wrap(client());
    await Promise.all([stream(plain, 10)(), stream(wrapped, 10)()]);

    const added = async (chunks: number) => (await promisesMade(stream(wrapped, chunks))) - (await promisesMade(stream(plain, chunks)));
    const [short, long] = [await added(10), await added(100)];
    // 90 more content chunks: 90 more `next()` calls, each observed with one reaction
    expect(long - short).toBe(90);
    // the rest: one per `next()` of the short stream (13 items and the end), nothing else
    expect(short).toBe(14);
  });

  it("reads nothing of the request or the response for a span the sampler drops", async () => {
    await projectTracer(ctx, { sampler: new AlwaysOffSampler() });
    let reads = 0;
    const request = {
      model: "gpt-4o-mini",
      get messages() {
        reads++;
        return messages;
      },
    };
    await client().chat.completions.create(request);
    const plainReads = reads;
    reads = 0;
    const got = await Tracer.wrap(client()).chat.completions.create(request);
    expect(reads).toBe(plainReads);
    expect(got.choices[0].message.content).toBe("Hello there");
  });
});

describe("OpenTelemetry's attribute limits on a wrapped call's span", () => {
  const limited = async (config: Parameters<typeof projectTracer>[1]) => {
    const tracer = await projectTracer(ctx, config);
    await Tracer.wrap(client()).chat.completions.create({ model: "gpt-4o-mini", messages });
    const { llm } = await llmSpans(ctx, tracer);
    return llm[0].attributes;
  };

  it("apply as to any span: spanLimits.attributeValueLengthLimit cuts its values", async () => {
    const attributes = await limited({ spanLimits: { attributeValueLengthLimit: 12 } });
    expect(attributes["judgment.input"]).toBe('{"model":"gp');
    expect(attributes["judgment.output"]).toBe(COMPLETION.slice(0, 12));
    expect(attributes["gen_ai.response.model"]).toBe("gpt-4o-mini-");
    expect(attributes["gen_ai.usage.input_tokens"]).toBe(9);
  });

  it("spanLimits.attributeCountLimit keeps the first attributes and drops the rest", async () => {
    const attributes = await limited({ spanLimits: { attributeCountLimit: 4 } });
    expect(Object.keys(attributes).filter((key) => key !== "judgment.update_id")).toEqual([
      "judgment.span_kind",
      "judgment.llm.provider",
      "gen_ai.system",
      "gen_ai.provider.name",
    ]);
  });
});
