import OpenAI from "openai";
import { Tracer, observe } from "../../lib/index.js";
import {
  captureTraces,
  createTraceCapture,
  findSpan,
  findSpans,
  judgevalMatchers,
  outline,
  type JudgevalMatchers,
} from "../../lib/testing/index.js";
import { startOpenAIServer } from "../llm/servers/openai.js";
import type { Loopback } from "../llm/servers/loopback.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R> extends JudgevalMatchers<R> {}
  }
}
expect.extend(judgevalMatchers);

let server: Loopback;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

const search = observe(async (query: string) => [`result for ${query}`], { spanType: "tool", spanName: "search" });

class Agent {
  constructor(private readonly llm: OpenAI) {}

  @observe({ spanType: "agent" })
  async run(question: string): Promise<string> {
    const [hit] = await search(question);
    const reply = await this.llm.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `${question} ${hit}` }],
    });
    return reply.choices[0]?.message.content ?? "";
  }
}

const agent = () => new Agent(Tracer.wrap(new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 })));

describe("captureTraces", () => {
  it("returns the result and the trace tree with kinds, inputs, outputs, model and tokens", async () => {
    const { result, traces } = await captureTraces(() => agent().run("weather"));
    expect(traces).toHaveLength(1);
    const [trace] = traces;
    expect(outline(trace)).toBe("agent run\n  tool search\n  llm OPENAI_API_CALL gpt-4o-mini-2024-07-18");
    expect(trace.root).toMatchObject({
      name: "run",
      kind: "agent",
      input: { question: "weather" },
      output: result,
      parentSpanId: undefined,
    });
    const llm = findSpan(trace, { kind: "llm" })!;
    expect(llm.parentSpanId).toBe(trace.root.spanId);
    expect(llm.provider).toBe("openai");
    expect(llm.usage?.outputTokens).toBeGreaterThan(0);
    expect(llm.usage?.nonCachedInputTokens).toBeGreaterThan(0);
    expect(findSpan(trace, { name: "search" })).toMatchObject({ input: { query: "weather" }, output: ["result for weather"] });
  });

  it("matchers find spans by name, kind, partial input and error, and explain a miss with the outline", async () => {
    const fails = observe(
      async (_x: { a: number; b: number }) => {
        throw new Error("boom");
      },
      { spanName: "fails" },
    );
    const { traces } = await captureTraces(() => Tracer.span("outer", () => fails({ a: 1, b: 2 }).catch(() => "handled")));
    expect(traces).toHaveSpan({ name: "fails", input: { _x: { a: 1 } }, error: "boom" });
    expect(traces).toHaveSpan({ name: /^out/, kind: "span" });
    expect(traces).not.toHaveSpan({ name: "missing" });
    expect(() => expect(traces).toHaveSpan({ name: "missing" })).toThrow(/span outer\n {2}span fails !error/);
    expect(findSpans(traces, { error: true }).map((s) => s.name)).toEqual(["fails"]);
  });

  it("captures each concurrent run on its own, and nothing from code outside it", async () => {
    const [a, b] = await Promise.all([
      captureTraces(() => Tracer.span("a", async () => Tracer.span("a.child", () => 1))),
      captureTraces(() => Tracer.span("b", () => 2)),
    ]);
    expect(outline(a.traces)).toBe("span a\n  span a.child");
    expect(outline(b.traces)).toBe("span b");
    expect([a.result, b.result]).toEqual([1, 2]);
  });

  it("sends nothing anywhere and says nothing, even with credentials in the environment", async () => {
    const saved = { ...process.env };
    const sink = await startOpenAIServer();
    process.env.JUDGMENT_API_KEY = "key-from-env";
    process.env.JUDGMENT_ORG_ID = "org-from-env";
    process.env.JUDGMENT_API_URL = sink.url;
    const warn = jest.spyOn(console, "warn");
    try {
      const capture = createTraceCapture();
      capture.run(() => Tracer.span("quiet", () => undefined));
      expect(await capture.tracer.forceFlush()).toBe(true);
      await capture.shutdown();
      expect(outline(capture.traces())).toBe("span quiet");
      expect(sink.requests).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      process.env = saved;
      await sink.close();
    }
  });

  it("re-throws the error of the function; a capture keeps the failing run's spans", async () => {
    await expect(captureTraces(() => Tracer.span("x", () => Promise.reject(new Error("nope"))))).rejects.toThrow("nope");
    const capture = createTraceCapture();
    await capture.run(() => Tracer.span("x", () => Promise.reject(new Error("nope")))).catch(() => undefined);
    expect(capture.traces()).toHaveSpan({ name: "x", error: "nope" });
    expect(capture.openSpans()).toBe(0);
    capture.clear();
    expect(capture.traces()).toEqual([]);
    await capture.shutdown();
  });
});
