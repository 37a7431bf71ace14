import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { Tracer } from "../../lib/index.js";
import { startBackend, type StartedBackend } from "../support/backend.js";
import { json, startLoopback, type Loopback } from "../llm/servers/loopback.js";
import { projectTracer, received } from "../support/tracing.js";

const KEY = "sk-judgment-scrub-0123456789abcdef";
const PROVIDER_KEY = "sk-proj-provider-ZYXWVUT987654321";
let ctx: StartedBackend;
let provider: Loopback;

beforeAll(async () => {
  ctx = await startBackend({ apiKey: KEY });
  // A provider that echoes the key it was sent in its 401 body, as some do.
  provider = await startLoopback((req, res) => {
    void req;
    json(res, 401, {
      error: { message: `Incorrect API key provided: ${PROVIDER_KEY}`, type: "invalid_request_error", code: "invalid_api_key" },
    });
  });
});
afterAll(async () => {
  await provider.close();
  await ctx.backend.close();
});

function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spies = (["log", "warn", "error", "info", "debug"] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" "))),
  );
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe("secrets are scrubbed from every exported string", () => {
  it("the API key in span names, attribute keys, event names, status, resource attributes and tags", async () => {
    const tracer = await projectTracer(ctx, { resourceAttributes: { "deploy.note": `key ${KEY}`, [`k-${KEY}`]: "v" } });
    let traceId = "";
    Tracer.span(`name ${KEY}`, (span) => {
      traceId = span.spanContext().traceId;
      span.setAttribute(`attr ${KEY}`, "value");
      span.addEvent(`event ${KEY}`, { [`event-attr ${KEY}`]: KEY });
      span.updateName(`renamed ${KEY}`);
      Tracer.tag([`tag-${KEY}`, "plain"]);
      Tracer.setError(new Error(`failed with ${KEY}`));
    });
    const spans = await received(ctx, tracer);
    expect(spans).toHaveLength(1);
    const text = JSON.stringify(spans);
    expect(text).not.toContain(KEY);
    expect(spans[0].name).toBe("renamed [REDACTED]");
    expect(spans[0].attributes["attr [REDACTED]"]).toBe("value");
    expect(spans[0].events.map((e) => e.name)).toContain("event [REDACTED]");
    expect(spans[0].resource["deploy.note"]).toBe("key [REDACTED]");
    expect(ctx.backend.tags(traceId).sort()).toEqual(["plain", "tag-[REDACTED]"]);
  });

  it("a wrapped client's key echoed by the provider in a 401 body stays out of the exception event and status", async () => {
    const tracer = await projectTracer(ctx);
    const openai = Tracer.wrap(new OpenAI({ apiKey: PROVIDER_KEY, baseURL: `${provider.url}/v1`, maxRetries: 0 }));
    const anthropic = Tracer.wrap(new Anthropic({ apiKey: PROVIDER_KEY, baseURL: provider.url, maxRetries: 0 }));
    await expect(openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] })).rejects.toThrow(PROVIDER_KEY);
    await expect(anthropic.messages.create({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })).rejects.toThrow();
    const spans = await received(ctx, tracer);
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.status.code).toBe("error");
      expect(span.status.message).toContain("[REDACTED]");
      expect(JSON.stringify(span)).not.toContain(PROVIDER_KEY);
    }
  });
});

describe("credentials in URLs are redacted in log messages", () => {
  it("a password in apiUrl never reaches the console", async () => {
    const out = captureConsole();
    try {
      const tracer = Tracer.init({
        projectName: "p",
        apiKey: KEY,
        organizationId: "o",
        apiUrl: "http://admin:hunter2-password@198.51.100.7:9",
        setActive: false,
        exportTimeoutMillis: 200,
      });
      await tracer.ready;
      await tracer.shutdown(100);
      const local = Tracer.init({
        projectName: "p",
        apiKey: KEY,
        organizationId: "o",
        apiUrl: "http://admin:hunter2-password@127.0.0.1:1",
        setActive: false,
      });
      await local.ready;
      await local.shutdown(100);
    } finally {
      out.restore();
    }
    expect(out.lines.length).toBeGreaterThan(0);
    expect(out.lines.join("\n")).not.toContain("hunter2-password");
  });
});
