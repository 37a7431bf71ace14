import { Judgeval, Tracer, observe, type Example } from "../../lib/index.js";
import { startBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";
import type { StartedBackend } from "../support/backend.js";

const KEY = "sk-judgment-0123456789abcdef-SECRET";
let ctx: StartedBackend;
beforeAll(async () => {
  ctx = await startBackend({ apiKey: KEY });
});
afterAll(() => ctx.backend.close());

describe("privacy options", () => {
  it("mask rewrites every attribute value before export, and drops what it cannot handle", async () => {
    const tracer = await projectTracer(ctx, {
      mask: (value, key) => {
        if (key === "boom") throw new Error("mask failure");
        if (key === "drop") return undefined;
        return typeof value === "string" ? value.replace(/\b\d{4}-\d{4}\b/g, "####-####") : value;
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the parameter name is the recorded input key
    const pay = observe(function pay(card: string) {
      Tracer.setAttributes({ note: "card 1234-5678", boom: "secret", drop: "x", count: 2 });
      throw new Error("declined 1234-5678");
    });
    expect(() => pay("1234-5678")).toThrow("declined 1234-5678");
    const span = one(await received(ctx, tracer), "pay");
    expect(io(span).input).toEqual({ card: "####-####" });
    expect(span.attributes).toMatchObject({ note: "card ####-####", count: 2, "judgment.span_kind": "span" });
    expect(span.attributes.boom).toBeUndefined();
    expect(span.attributes.drop).toBeUndefined();
    expect(span.events[0].attributes["exception.message"]).toBe("declined ####-####");
  });

  it("recordInputOutput: false records no inputs or outputs at all", async () => {
    const tracer = await projectTracer(ctx, { recordInputOutput: false });
    observe(function f(x: number) {
      Tracer.setInput("manual");
      return x;
    })(1);
    const span = one(await received(ctx, tracer), "f");
    expect(span.attributes["judgment.input"]).toBeUndefined();
    expect(span.attributes["judgment.output"]).toBeUndefined();
  });

  it("warns when the API URL is plain http to a non-loopback host", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const tracer = Tracer.init({ projectName: "p", apiKey: KEY, organizationId: "o", apiUrl: "http://198.51.100.7:9", setActive: false });
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining("plain http to a non-loopback host")]);
      await tracer.shutdown(10);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("the API key", () => {
  it("never appears in anything sent (but the Authorization header) or logged in a full run", async () => {
    const logged: string[] = [];
    const spies = (["log", "warn", "error", "info", "debug"] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    try {
      const tracer = await projectTracer(ctx);
      const config = { apiKey: KEY, model: "x" };
      const agent = observe(async function agent(settings: typeof config) {
        Tracer.setAttribute("settings", settings);
        Tracer.setAttribute("raw", `key=${KEY}`);
        Tracer.setAttribute("list", [KEY, "ok"]);
        Tracer.recordLLMMetadata({ model: KEY });
        Tracer.tag(["t"]);
        Tracer.asyncEvaluate("judge", { input: KEY });
        await Tracer.span("child", () => Promise.reject(new Error(`bad key ${KEY}`))).catch(() => undefined);
        return { echoed: settings.apiKey };
      });
      await agent(config);
      await received(ctx, tracer);
      const client = await Judgeval.create({ ...ctx.tracerConfig, projectName: "key-scan" });
      const dataset: Example[] = [];
      const offline = client.offlineTracer({ dataset, exampleFields: { note: "no key here" }, setActive: false });
      await offline.run(() => agent(config));
      await offline.shutdown();
      // failures log too: an unknown project and a wrong URL
      await Tracer.init({ ...ctx.tracerConfig, apiUrl: "http://127.0.0.1:1", projectName: "unreachable", setActive: false }).ready;
      await Judgeval.create({ ...ctx.tracerConfig, apiUrl: "http://127.0.0.1:1", projectName: "x" }).catch((err: Error) =>
        logged.push(err.message),
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const stored = JSON.stringify(ctx.backend.spans());
    expect(stored).toContain("[REDACTED]");
    expect(stored).not.toContain(KEY);
    expect(logged.join("\n")).not.toContain(KEY);
    expect(logged.length).toBeGreaterThan(0);
    for (const r of ctx.backend.requests) {
      const { authorization, ...rest } = r.headers;
      expect(authorization).toBe(`Bearer ${KEY}`);
      expect(JSON.stringify(rest)).not.toContain(KEY);
    }
    expect(ctx.backend.requests.some((r) => r.path.includes("/tags"))).toBe(true);
  });
});
