import { EventEmitter } from "node:events";
import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

describe("spans by hand", () => {
  it("Tracer.span and Tracer.with run fn in an active child span and return its result", async () => {
    const tracer = await projectTracer(ctx);
    const outer = observe(
      async () => {
        const a = Tracer.span("sync-block", (span) => {
          expect(Tracer.getCurrentSpan()).toBe(span);
          return 1;
        });
        const b = await Tracer.with("async-block", async () => 2);
        return a + b;
      },
      { spanName: "outer" },
    );
    expect(await outer()).toBe(3);
    await expect(Tracer.span("failing", async () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
    const spans = await received(ctx, tracer);
    const parent = one(spans, "outer");
    expect(one(spans, "sync-block").parentSpanId).toBe(parent.spanId);
    expect(one(spans, "async-block").parentSpanId).toBe(parent.spanId);
    expect(one(spans, "failing").status).toEqual({ code: "error", message: "nope" });
  });

  it("startSpan, startAsCurrentSpan and startActiveSpan", async () => {
    const tracer = await projectTracer(ctx);
    const manual = Tracer.startSpan("manual", { step: 1 });
    manual.end();
    Tracer.startAsCurrentSpan("current", () => Tracer.setAttribute("inside", true));
    await Tracer.startAsCurrentSpan("current-attrs", { k: "v" }, async () => undefined);
    Tracer.startActiveSpan({ name: "compat", attributes: { c: 1 } }, (span) => span.end());
    Tracer.getOTELTracer()
      .startSpan("raw", { attributes: { r: 1 } })
      .end();
    const spans = await received(ctx, tracer);
    expect(one(spans, "manual").attributes.step).toBe(1);
    expect(one(spans, "current").attributes.inside).toBe(true);
    expect(one(spans, "current-attrs").attributes.k).toBe("v");
    expect(one(spans, "compat").attributes.c).toBe(1);
    expect(one(spans, "raw").attributes.r).toBe(1);
  });

  it("annotates the current span with kinds, attributes, input, output, errors and LLM metadata", async () => {
    const tracer = await projectTracer(ctx);
    Tracer.span("annotated", () => {
      Tracer.setLLMSpan();
      Tracer.setAttribute("tier", "premium");
      Tracer.setAttributes({ count: 3, nested: { deep: [1, 2] }, list: ["a", "b"] });
      Tracer.setInput({ prompt: "hi" });
      Tracer.setOutput("hello");
      Tracer.setError(new Error("soft failure"));
      Tracer.recordLLMMetadata({
        model: "gpt-4o-mini",
        provider: "openai",
        non_cached_input_tokens: 10,
        cache_read_input_tokens: 5,
        cache_creation_input_tokens: 0,
        output_tokens: 7,
        total_cost_usd: 0.0012,
      });
    });
    Tracer.span("tool", () => Tracer.setToolSpan());
    Tracer.span("general", () => {
      Tracer.setSpanKind("custom");
      Tracer.setGeneralSpan();
    });
    const spans = await received(ctx, tracer);
    const a = one(spans, "annotated");
    expect(a.attributes).toMatchObject({
      "judgment.span_kind": "llm",
      tier: "premium",
      count: 3,
      nested: '{"deep":[1,2]}',
      list: ["a", "b"],
      "judgment.llm.model": "gpt-4o-mini",
      "judgment.llm.provider": "openai",
      "judgment.usage.non_cached_input_tokens": 10,
      "judgment.usage.cache_read_input_tokens": 5,
      "judgment.usage.cache_creation_input_tokens": 0,
      "judgment.usage.output_tokens": 7,
      "judgment.usage.total_cost_usd": 0.0012,
    });
    expect(io(a)).toEqual({ input: { prompt: "hi" }, output: "hello" });
    expect(a.status).toEqual({ code: "error", message: "soft failure" });
    expect(one(spans, "tool").spanType).toBe("tool");
    expect(one(spans, "general").spanType).toBe("span");
  });

  it("the helpers are safe no-ops outside a span and with hostile values", async () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    expect(() => {
      Tracer.setAttribute("k", hostile);
      Tracer.setAttributes(hostile);
      Tracer.setInput(hostile);
      Tracer.setError(hostile);
      Tracer.recordLLMMetadata(hostile);
      Tracer.setSpanKind(undefined as never);
    }).not.toThrow();
    const tracer = await projectTracer(ctx);
    Tracer.span("hostile", () => {
      Tracer.setAttributes(hostile);
      Tracer.setInput(hostile);
      Tracer.setError(hostile);
      Tracer.recordLLMMetadata(hostile);
    });
    expect(one(await received(ctx, tracer), "hostile").status.code).toBe("error");
  });
});

describe("context follows async work", () => {
  it("across await, timers, event emitters and promise chains", async () => {
    const tracer = await projectTracer(ctx);
    const emitter = new EventEmitter();
    const parent = observe(
      async () => {
        await Promise.resolve();
        Tracer.span("after-await", () => undefined);
        await new Promise<void>((done) =>
          setTimeout(() => {
            Tracer.span("in-timer", () => undefined);
            done();
          }, 1),
        );
        const heard = new Promise<void>((done) =>
          emitter.once("ping", () => {
            Tracer.span("in-listener", () => undefined);
            done();
          }),
        );
        emitter.emit("ping");
        await heard;
        await Promise.resolve().then(() => Tracer.span("in-then", () => undefined));
      },
      { spanName: "parent" },
    );
    await parent();
    const spans = await received(ctx, tracer);
    const p = one(spans, "parent");
    for (const name of ["after-await", "in-timer", "in-listener", "in-then"]) expect(one(spans, name).parentSpanId).toBe(p.spanId);
  });

  it("concurrent calls never see each other's spans", async () => {
    const tracer = await projectTracer(ctx);
    const child = observe(
      async (id: number) => {
        await new Promise((r) => setTimeout(r, id % 3));
        return id;
      },
      { spanName: "child" },
    );
    const request = observe(async (id: number) => child(id), { spanName: "request" });
    await Promise.all(Array.from({ length: 200 }, (_, i) => request(i)));
    const spans = await received(ctx, tracer);
    const requests = new Map(spans.filter((s) => s.name === "request").map((s) => [s.spanId, io(s).input]));
    const children = spans.filter((s) => s.name === "child");
    expect(children).toHaveLength(200);
    for (const c of children) expect(requests.get(c.parentSpanId!)).toEqual(io(c).input);
  });
});
