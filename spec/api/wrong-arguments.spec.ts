import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();

const hostileProxy = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error("trap");
      },
      ownKeys: () => {
        throw new Error("trap");
      },
      getPrototypeOf: () => {
        throw new Error("trap");
      },
    },
  );

describe("wrong arguments never throw into the app, and fn's value comes back", () => {
  it("span, with, startSpan, startAsCurrentSpan, startActiveSpan, startLinkedTrace with a missing, null or Proxy name", async () => {
    const tracer = await projectTracer(ctx);
    const warnings = await captureWarnings(() => {
      for (const name of [undefined, null, hostileProxy(), new Uint8Array(4), 42, Symbol("s")]) {
        const n = name as string;
        expect(Tracer.span(n, () => "span")).toBe("span");
        expect(Tracer.with(n, () => "with")).toBe("with");
        Tracer.startSpan(n, hostileProxy()).end();
        expect(Tracer.startAsCurrentSpan(n, hostileProxy() as never, () => "current")).toBe("current");
        expect(Tracer.startActiveSpan({ name: n }, (s) => (s.end(), "active"))).toBe("active");
        expect(Tracer.startActiveSpan(hostileProxy() as never, (s) => (s.end(), "active"))).toBe("active");
        expect(Tracer.span("parent", () => Tracer.startLinkedTrace(n, hostileProxy() as never, () => "linked"))).toBe("linked");
        expect(Tracer.startLinkedTrace(n, () => "unlinked")).toBe("unlinked");
      }
    });
    // Options that cannot be read are absorbed, with one warning per call that met them.
    const unreadable = (call: string) =>
      `[judgeval] ${call}: its options could not be read (a getter or Proxy trap threw); ran with the defaults of those options.`;
    expect(warnings.sort()).toEqual(
      [
        unreadable("startSpan"),
        unreadable("startAsCurrentSpan"),
        unreadable("startActiveSpan"),
        unreadable("startLinkedTrace"),
        '[judgeval] startLinkedTrace("unnamed") needs an active recording span to link from; ran it as a plain span.',
      ].sort(),
    );
    const spans = await received(ctx, tracer);
    expect(spans.length).toBeGreaterThanOrEqual(6 * 10);
    for (const span of spans) expect(typeof span.name).toBe("string");
    expect(spans.filter((s) => s.name === "42").length).toBeGreaterThan(0);
  });

  it("a function that is not one: a no-op returning undefined", async () => {
    await projectTracer(ctx);
    const warnings = await captureWarnings(() => {
      expect(Tracer.span("x", "not a function" as never)).toBeUndefined();
      expect(Tracer.continueTrace({}, undefined as never)).toBeUndefined();
      expect(Tracer.scopedContext({}, null as never)).toBeUndefined();
      expect(Tracer.startLinkedTrace("x", {}, 5 as never)).toBeUndefined();
    });
    // Each says what it was given, so the mistake is found without a debugger.
    expect(warnings).toEqual([
      "[judgeval] Tracer.span was given string instead of a function; nothing was run.",
      "[judgeval] continueTrace was given undefined instead of a function; nothing was run.",
      "[judgeval] scopedContext was given object instead of a function; nothing was run.",
      "[judgeval] startLinkedTrace was given number instead of a function; nothing was run.",
    ]);
  });

  it("Proxy options and carriers", async () => {
    const tracer = await projectTracer(ctx);
    const warnings = await captureWarnings(() => {
      const traced = observe(function f(x: number) {
        return x + 1;
      }, hostileProxy() as never);
      expect(traced(1)).toBe(2);
      expect(Tracer.continueTrace(hostileProxy() as never, () => "continued")).toBe("continued");
      expect(Tracer.continueTrace({}, hostileProxy() as never, () => "options")).toBe("options");
      expect(Tracer.scopedContext(hostileProxy() as never, () => "scoped")).toBe("scoped");
      expect(() => propagation.inject(hostileProxy() as never)).not.toThrow();
      expect(() => propagation.extract(hostileProxy() as never)).not.toThrow();
    });
    expect(io(one(await received(ctx, tracer), "f"))).toEqual({ input: { x: 1 }, output: 2 });
    // Unreadable options are said once per entry point (process-wide), never thrown.
    for (const line of warnings) expect(line).toMatch(/^\[judgeval\] \w+: its options could not be read/);
  });
});

describe("a string where an object belongs is one value, not walked per character", () => {
  it("setAttributes(string), asyncEvaluate with a string example, continueTrace with a typed array", async () => {
    const tracer = await projectTracer(ctx);
    const big = "x".repeat(4e6);
    Tracer.span("wrong-types", () => {
      Tracer.setAttributes(big as never);
      Tracer.setAttributes(new String(big) as never);
      Tracer.setAttributes(new Uint8Array(4e6) as never);
      Tracer.asyncEvaluate("judge", big as never);
      Tracer.asyncEvaluate({ judge: "judge2", example: big as never });
      Tracer.continueTrace(new Uint8Array(4 * 1024 * 1024) as never, () => Tracer.span("under-typed-array", () => undefined));
    });
    const spans = await received(ctx, tracer);
    const span = one(spans, "wrong-types");
    expect(Object.keys(span.attributes).filter((k) => /^\d+$/.test(k))).toEqual([]);
    const evals = JSON.parse(span.attributes["judgment.pending_trace_eval"] as string);
    expect(evals).toHaveLength(2);
    for (const e of evals) expect(Object.keys(e.examples[0]).filter((k) => /^\d+$/.test(k))).toEqual([]);
    expect(one(spans, "under-typed-array").parentSpanId).toBeNull();
  });
});
