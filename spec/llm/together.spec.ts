import Together from "together-ai";
import { Tracer, wrap } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { startOpenAIServer } from "./servers/openai.js";
import type { Loopback } from "./servers/loopback.js";
import { deepFreeze, drain, inAgent, llmSpans, parsed, usd } from "./support.js";

const ctx = useBackend();
let server: Loopback;
beforeAll(async () => {
  server = await startOpenAIServer({ together: true });
});
afterAll(() => server.close());

const client = () => new Together({ apiKey: "tg-test", baseURL: `${server.url}/v1`, maxRetries: 0 });
const MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo";
const request = deepFreeze({ model: MODEL, messages: [{ role: "user" as const, content: "Say hello" }] });
const ATTRIBUTES = {
  "judgment.llm.provider": "together",
  "judgment.llm.model": MODEL,
  "judgment.usage.non_cached_input_tokens": 20,
  "judgment.usage.output_tokens": 5,
  "gen_ai.provider.name": "together",
  "gen_ai.usage.input_tokens": 20,
};

describe("together-ai", () => {
  it("traces chat.completions.create, plain and streamed, with usage and cost; results unchanged", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = Tracer.wrap(client());
    const got = await inAgent(() => wrapped.chat.completions.create(request));
    expect(got).toEqual(await client().chat.completions.create(request));
    const chunks = await drain(await wrapped.chat.completions.create({ ...request, stream: true }));
    expect(chunks).toEqual(await drain(await client().chat.completions.create({ ...request, stream: true })));
    // Together reports usage unasked: the request goes out as written
    expect(server.requests.some((r) => "stream_options" in r.body)).toBe(false);

    const { llm, agent } = await llmSpans(ctx, tracer);
    expect(llm.map((s) => s.name)).toEqual(["TOGETHER_API_CALL", "TOGETHER_API_CALL"]);
    expect(llm[0].parentSpanId).toBe(agent!.spanId);
    for (const span of llm) {
      expect(span.attributes).toMatchObject(ATTRIBUTES);
      expect(span.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
        usd([
          [20, 0.88],
          [5, 0.88],
        ]),
        12,
      );
    }
    expect(parsed(llm[1], "judgment.output")).toBe("Hello from loopback!");
  });

  it("records errors and cut streams, and ends a broken-off stream as cancelled", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    const err = await wrapped.chat.completions.create({ ...request, model: "error-model" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Together.BadRequestError);
    for await (const _chunk of await wrapped.chat.completions.create({ ...request, stream: true })) break;
    const cut = await drain(await wrapped.chat.completions.create({ ...request, model: "cut-model", stream: true })).catch(
      (e: unknown) => e,
    );
    expect(cut).toMatchObject({ message: expect.stringContaining("terminated") });

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].status).toMatchObject({ code: "error", message: (err as Error).message });
    expect(llm[1].attributes["judgment.llm.stream_cancelled"]).toBe(true);
    expect(llm[1].ended).toBe(true);
    expect(llm[2].status.code).toBe("error");
    expect(parsed(llm[2], "judgment.output")).toBe("Hello from");
  });
});
