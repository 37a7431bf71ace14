import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

class Agent {
  prefix = "re:";

  @observe
  bare(q: string): string {
    return this.prefix + q;
  }

  @observe()
  empty(): number {
    return 1;
  }

  @observe({ spanType: "tool", spanName: "lookup" })
  async search(query: string, limit = 3): Promise<string[]> {
    await new Promise((r) => setImmediate(r));
    return [query].concat(Array(limit - 1).fill("x"));
  }

  @Tracer.observe({ spanType: "agent" })
  async run(question: string): Promise<string> {
    const hits = await this.search(question, 2);
    return this.bare(hits.join(","));
  }

  @observe
  rest(first: number, ...others: number[]): number {
    return others.reduce((a, b) => a + b, first);
  }

  @observe
  destructured({ a, b }: { a: number; b: number }, [c]: number[]): number {
    return a + b + c;
  }

  @observe
  fails(): never {
    throw new TypeError("bad input");
  }

  @observe
  async rejects(): Promise<never> {
    await Promise.resolve();
    throw new RangeError("too far");
  }

  @observe({ recordInput: false, recordOutput: false })
  secret(password: string): string {
    return password.toUpperCase();
  }
}

describe("@observe on class methods (stage-3 decorators)", () => {
  it("names spans, records kinds, inputs by parameter name and outputs, and nests calls", async () => {
    const tracer = await projectTracer(ctx);
    const agent = new Agent();
    expect(await agent.run("cats")).toBe("re:cats,x");
    expect(agent.empty()).toBe(1);
    const spans = await received(ctx, tracer);

    const run = one(spans, "run");
    const search = one(spans, "lookup");
    const bare = one(spans, "bare");
    expect(run.attributes["judgment.span_kind"]).toBe("agent");
    expect(search.attributes["judgment.span_kind"]).toBe("tool");
    expect(bare.attributes["judgment.span_kind"]).toBe("span");
    expect(one(spans, "empty").attributes["judgment.span_kind"]).toBe("span");
    expect(search.parentSpanId).toBe(run.spanId);
    expect(bare.parentSpanId).toBe(run.spanId);
    expect(run.parentSpanId).toBeNull();
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(2);
    expect(io(run)).toEqual({ input: { question: "cats" }, output: "re:cats,x" });
    expect(io(search)).toEqual({ input: { query: "cats", limit: 2 }, output: ["cats", "x"] });
  });

  it("records rest parameters as an array and destructured parameters by the names they bind", async () => {
    const tracer = await projectTracer(ctx);
    const agent = new Agent();
    expect(agent.rest(1, 2, 3)).toBe(6);
    expect(agent.destructured({ a: 1, b: 2 }, [3])).toBe(6);
    const spans = await received(ctx, tracer);
    expect(io(one(spans, "rest")).input).toEqual({ first: 1, others: [2, 3] });
    expect(io(one(spans, "destructured")).input).toEqual({ a: 1, b: 2, c: 3 });
  });

  it("records a throw or rejection once, as status ERROR, and rethrows it unchanged", async () => {
    const tracer = await projectTracer(ctx);
    const agent = new Agent();
    let thrown: unknown;
    try {
      agent.fails();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    await expect(agent.rejects()).rejects.toThrow(RangeError);
    const spans = await received(ctx, tracer);
    for (const [name, message] of [
      ["fails", "bad input"],
      ["rejects", "too far"],
    ]) {
      const span = one(spans, name);
      expect(span.status).toEqual({ code: "error", message });
      expect(span.events.filter((e) => e.name === "exception")).toHaveLength(1);
      expect(span.events[0].attributes["exception.message"]).toBe(message);
    }
  });

  it("honours recordInput and recordOutput", async () => {
    const tracer = await projectTracer(ctx);
    expect(new Agent().secret("pw")).toBe("PW");
    const span = one(await received(ctx, tracer), "secret");
    expect(span.attributes["judgment.input"]).toBeUndefined();
    expect(span.attributes["judgment.output"]).toBeUndefined();
  });
});

describe("observe(fn) on plain functions", () => {
  it("keeps the function's behaviour and records thenables' settled values", async () => {
    const tracer = await projectTracer(ctx);
    const add = observe(function add(a: number, b: number) {
      return a + b;
    });
    expect(observe((x: number) => x)(1)).toBe(1);
    const named = observe(
      function multiply(a: number, b: number) {
        return a * b;
      },
      { spanType: "function" },
    );
    const thenable = { then: (ok: (v: number) => void) => ok(42) };
    const lazy = observe(() => thenable, { spanName: "lazy" });
    expect(add(2, 3)).toBe(5);
    expect(named(2, 3)).toBe(6);
    expect(lazy()).toBe(thenable);
    expect(await lazy()).toBe(42);
    const spans = await received(ctx, tracer);
    expect(io(one(spans, "add"))).toEqual({ input: { a: 2, b: 3 }, output: 5 });
    expect(one(spans, "multiply").attributes["judgment.span_kind"]).toBe("function");
    expect(spans.filter((s) => s.name === "lazy").map((s) => io(s).output)).toEqual([42, 42]);
  });

  it("runs the function unchanged with no tracer and outside any export", () => {
    const twice = observe((x: number) => x * 2);
    expect(twice(4)).toBe(8);
  });
});

describe("generators", () => {
  class Streamer {
    @observe
    *count(n: number) {
      for (let i = 0; i < n; i++) yield i;
    }

    @observe({ spanType: "agent" })
    async *tokens(text: string) {
      for (const word of text.split(" ")) {
        await new Promise((r) => setImmediate(r));
        yield Tracer.span("inner", () => word);
      }
    }

    @observe({ disableGeneratorYieldSpan: true })
    async *quiet() {
      yield 1;
      yield 2;
    }

    @observe
    *broken() {
      yield 1;
      throw new Error("mid-stream");
    }
  }

  it("keeps the span open until the consumer finishes and makes one child per yielded item", async () => {
    const tracer = await projectTracer(ctx);
    const s = new Streamer();
    expect([...s.count(3)]).toEqual([0, 1, 2]);
    const words: string[] = [];
    for await (const w of s.tokens("a b")) words.push(w);
    expect(words).toEqual(["a", "b"]);
    const spans = await received(ctx, tracer);

    const count = spans.find((x) => x.name === "count" && x.spanType === "generator")!;
    expect(io(count)).toEqual({ input: { n: 3 }, output: [0, 1, 2] });
    const items = spans.filter((x) => x.parentSpanId === count.spanId);
    expect(items.map((x) => [x.spanType, io(x).output])).toEqual([
      ["generator_item", 0],
      ["generator_item", 1],
      ["generator_item", 2],
    ]);

    const tokens = spans.find((x) => x.name === "tokens" && x.spanType === "agent")!;
    const inner = spans.filter((x) => x.name === "inner");
    expect(inner).toHaveLength(2);
    for (const x of inner) expect(x.parentSpanId).toBe(tokens.spanId);
    expect(spans.filter((x) => x.parentSpanId === tokens.spanId && x.spanType === "generator_item")).toHaveLength(2);
    expect(tokens.ended).toBe(true);
  });

  it("ends the span on early break, on a throw, and without item spans when disabled", async () => {
    const tracer = await projectTracer(ctx);
    const s = new Streamer();
    for (const v of s.count(10)) if (v === 1) break;
    for await (const v of s.quiet()) expect(v).toBeGreaterThan(0);
    expect(() => [...s.broken()]).toThrow("mid-stream");
    const spans = await received(ctx, tracer);
    expect(
      io(
        one(
          spans.filter((x) => x.spanType === "generator"),
          "count",
        ),
      ).output,
    ).toEqual([0, 1]);
    const quiet = one(spans, "quiet");
    expect(io(quiet).output).toEqual([1, 2]);
    expect(spans.filter((x) => x.parentSpanId === quiet.spanId)).toHaveLength(0);
    const broken = spans.find((x) => x.name === "broken" && x.spanType === "generator")!;
    expect(broken.status).toEqual({ code: "error", message: "mid-stream" });
  });
});

describe("OpenTelemetry's attribute limits on an observed call's span", () => {
  const add = (a: number, b: string) => `${a}${b}`;

  it("apply as to any span: spanLimits.attributeValueLengthLimit cuts its input and output", async () => {
    const tracer = await projectTracer(ctx, { spanLimits: { attributeValueLengthLimit: 8 } });
    observe(add)(12345, "abcdefghij");
    const span = one(await received(ctx, tracer), "add");
    expect(span.attributes["judgment.input"]).toBe('{"a":123');
    expect(span.attributes["judgment.output"]).toBe('"12345ab');
    expect(span.attributes["judgment.span_kind"]).toBe("span");
  });

  it("spanLimits.attributeCountLimit counts them: the first attributes are kept", async () => {
    const tracer = await projectTracer(ctx, { spanLimits: { attributeCountLimit: 2 } });
    observe(add)(1, "x");
    const span = one(await received(ctx, tracer), "add");
    expect(Object.keys(span.attributes).filter((key) => key !== "judgment.update_id")).toEqual(["judgment.span_kind", "judgment.input"]);
  });
});
