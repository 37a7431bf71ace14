import { GoogleGenAI } from "@google/genai";
import { Tracer, wrap } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { GOOGLE_USAGE, startGoogleServer } from "./servers/google.js";
import type { Loopback } from "./servers/loopback.js";
import { deepFreeze, drain, inAgent, llmSpans, parsed, usd } from "./support.js";

const ctx = useBackend();
let server: Loopback;
beforeAll(async () => {
  server = await startGoogleServer();
});
afterAll(() => server.close());

// jest's sandbox global lacks the undici dispatcher the SDK looks up on Node, so it is given fetch.
const client = () => new GoogleGenAI({ apiKey: "g-test", httpOptions: { baseUrl: server.url, fetch: (url, init) => fetch(url, init) } });
const request = deepFreeze({ model: "gemini-2.0-flash", contents: "Say hello" });
const { promptTokenCount, cachedContentTokenCount, candidatesTokenCount, thoughtsTokenCount } = GOOGLE_USAGE;
const NON_CACHED = promptTokenCount - cachedContentTokenCount;
const OUTPUT = candidatesTokenCount + thoughtsTokenCount;
const ATTRIBUTES = {
  "judgment.llm.provider": "google",
  "judgment.llm.model": "gemini-2.0-flash-001",
  "judgment.usage.non_cached_input_tokens": NON_CACHED,
  "judgment.usage.cache_read_input_tokens": cachedContentTokenCount,
  "judgment.usage.output_tokens": OUTPUT,
  "gen_ai.provider.name": "gcp.gemini",
  "gen_ai.operation.name": "generate_content",
  "gen_ai.request.model": "gemini-2.0-flash",
  "gen_ai.usage.input_tokens": promptTokenCount,
};
// gemini-2.0-flash: input 0.10, cached 0.025, output 0.40 per million
const COST = usd([
  [NON_CACHED, 0.1],
  [cachedContentTokenCount, 0.025],
  [OUTPUT, 0.4],
]);

/** Responses as plain data: the SDK's response class carries the HTTP headers, which differ per request. */
const data = (value: unknown) => JSON.parse(JSON.stringify(value, (k, v) => (k === "sdkHttpResponse" ? undefined : v)));

describe("@google/genai", () => {
  it("traces models.generateContent with cached tokens split out, once, and cost", async () => {
    const tracer = await projectTracer(ctx);
    const got = await inAgent(() => Tracer.wrap(client()).models.generateContent(request));
    expect(got.text).toBe("Hello from loopback!");
    expect(data(got)).toEqual(data(await client().models.generateContent(request)));

    const { llm, agent } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
    expect(llm[0].name).toBe("GOOGLE_API_CALL");
    expect(llm[0].parentSpanId).toBe(agent!.spanId);
    expect(llm[0].attributes).toMatchObject({ ...ATTRIBUTES, "gen_ai.response.finish_reasons": ["STOP"] });
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(COST, 12);
    expect(parsed(llm[0], "judgment.input")).toEqual(request);
    expect(parsed(llm[0], "judgment.output")).toEqual(data(got));
  });

  it("traces models.generateContentStream to the end, usage from the last chunk", async () => {
    const tracer = await projectTracer(ctx);
    const chunks = await drain(await wrap(client()).models.generateContentStream(request));
    expect(chunks.map((c) => c.text).join("")).toBe("Hello from loopback!");
    expect(data(chunks)).toEqual(data(await drain(await client().models.generateContentStream(request))));

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm[0].attributes).toMatchObject(ATTRIBUTES);
    expect(llm[0].attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(COST, 12);
    expect(parsed(llm[0], "judgment.output")).toBe("Hello from loopback!");
  });

  it("ends a stream on early break (cancelled) and on a cut (error), and records API errors", async () => {
    const tracer = await projectTracer(ctx);
    const wrapped = wrap(client());
    for await (const _chunk of await wrapped.models.generateContentStream({ ...request, model: "hold-gemini" })) break;
    const cut = await drain(await wrapped.models.generateContentStream({ ...request, model: "cut-gemini" })).catch((e: unknown) => e);
    expect(cut).toMatchObject({ message: expect.stringContaining("terminated") });
    const err = await wrapped.models.generateContent({ ...request, model: "error-gemini" }).catch((e: unknown) => e);
    expect((err as Error).message).toContain("models/error-gemini is not found");

    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(3);
    expect(llm.every((s) => s.ended)).toBe(true);
    expect(llm[0].attributes["judgment.llm.stream_cancelled"]).toBe(true);
    expect(parsed(llm[0], "judgment.output")).toBe("Hello");
    expect(llm[1].status.code).toBe("error");
    expect(parsed(llm[1], "judgment.output")).toBe("Hello from");
    expect(llm[2].status).toEqual({ code: "error", message: (err as Error).message });
  });
});
