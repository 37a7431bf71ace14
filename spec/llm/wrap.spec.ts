import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { Tracer, wrap } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { startOpenAIServer } from "./servers/openai.js";
import type { Loopback } from "./servers/loopback.js";
import { llmSpans } from "./support.js";

const ctx = useBackend();
let server: Loopback;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

const client = () => new OpenAI({ apiKey: "k", baseURL: `${server.url}/v1`, maxRetries: 0 });
const request = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }] };

describe("Tracer.wrap", () => {
  it("returns the same instance, and wrapping twice traces each call once", async () => {
    const tracer = await projectTracer(ctx);
    const original = client();
    const wrapped = wrap(Tracer.wrap(original));
    expect(wrapped).toBe(original);
    await wrapped.chat.completions.create(request);
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm).toHaveLength(1);
  });

  it("returns anything else untouched, with one warning", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const other = { chat: {} };
      expect(wrap(other)).toBe(other);
      expect(other).toEqual({ chat: {} });
      expect(wrap(42)).toBe(42);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[0][0])).toContain("not a supported LLM client");
    } finally {
      warn.mockRestore();
    }
  });

  it("recognizes a client by shape when its class name is gone (bundled, minified)", async () => {
    const tracer = await projectTracer(ctx);
    const real = client();
    const shaped = { chat: real.chat, responses: real.responses, embeddings: real.embeddings };
    expect(wrap(shaped)).toBe(shaped);
    await shaped.chat.completions.create(request);
    const { llm } = await llmSpans(ctx, tracer);
    expect(llm.map((s) => s.attributes["judgment.llm.provider"])).toEqual(["openai"]);
  });

  it("resolves the tracer per call: calls bare without an active recording tracer, traced once one is active", async () => {
    const wrapped = wrap(client());
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const quiet = Tracer.init({ projectName: undefined, apiKey: undefined });
    await quiet.ready;
    warn.mockRestore();
    expect(quiet.getSpanExporter()).toBeUndefined();
    const bare = await wrapped.chat.completions.create(request);
    expect(bare.id).toBe("chatcmpl-1");

    const tracer = await projectTracer(ctx);
    await wrapped.chat.completions.create(request);
    const other = await projectTracer(ctx, { setActive: false });
    await other.run(() => wrapped.chat.completions.create(request));
    expect((await llmSpans(ctx, tracer)).llm).toHaveLength(1);
    expect((await llmSpans(ctx, other)).llm).toHaveLength(1);
  });

  it("never imports a provider SDK from the library", () => {
    const sdk =
      /from\s+["'](openai|@anthropic-ai\/sdk|together-ai|@google\/genai)["'/]|require\(["'](openai|@anthropic-ai|together-ai|@google\/genai)/;
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
      );
    const offenders = files(join(__dirname, "../../lib")).filter((f) => sdk.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
