import fc from "fast-check";
import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { build, spec } from "../support/hostile.js";
import { projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();
const CAP = 2048;

/** Every annotation helper, fed one hostile value (and a hostile key where it takes one). */
const HELPERS: Array<[string, (v: unknown) => void]> = [
  ["setAttribute", (v) => Tracer.setAttribute("k", v)],
  ["setAttribute(key)", (v) => Tracer.setAttribute(v as string, v)],
  ["setAttributes", (v) => Tracer.setAttributes(v as Record<string, unknown>)],
  ["setAttributes(record)", (v) => Tracer.setAttributes({ a: v, b: [v] })],
  ["setInput", (v) => Tracer.setInput(v)],
  ["setOutput", (v) => Tracer.setOutput(v)],
  ["setError", (v) => Tracer.setError(v)],
  ["setSpanKind", (v) => Tracer.setSpanKind(v as string)],
  ["recordLLMMetadata", (v) => Tracer.recordLLMMetadata(v as never)],
  ["recordLLMMetadata(fields)", (v) => Tracer.recordLLMMetadata({ model: v, output_tokens: v } as never)],
  ["setSessionId", (v) => Tracer.setSessionId(v as string)],
  ["setCustomerId", (v) => Tracer.setCustomerId(v as string)],
  ["setCustomerUserId", (v) => Tracer.setCustomerUserId(v as string)],
  ["setPropagatingAttribute", (v) => Tracer.setPropagatingAttribute(v as string, v as string)],
  ["tag", (v) => Tracer.tag(v as string)],
  ["asyncEvaluate", (v) => Tracer.asyncEvaluate(v as string, v as never)],
  ["asyncEvaluate(object)", (v) => Tracer.asyncEvaluate({ judge: "j", example: v as never })],
];

describe("host-app safety over hostile values", () => {
  it("no helper ever throws, inside or outside a span, and every exported attribute is valid and capped", async () => {
    const tracer = await projectTracer(ctx, { maxAttributeBytes: CAP, maxQueueSize: 100000 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      fc.assert(
        fc.property(spec, fc.integer({ min: 0, max: HELPERS.length - 1 }), (description, h) => {
          const value = build(description);
          const [, helper] = HELPERS[h];
          helper(value);
          Tracer.span("hostile", () => helper(value));
          observe(function observed(input: unknown) {
            helper(input);
            return input;
          })(value);
        }),
        { numRuns: 300 },
      );
      const spans = await received(ctx, tracer);
      expect(spans.length).toBeGreaterThanOrEqual(600);
      for (const span of spans) {
        for (const [key, value] of Object.entries(span.attributes)) {
          if (key !== "judgment.input" && key !== "judgment.output" && key !== "judgment.pending_trace_eval") continue;
          expect(Buffer.byteLength(value as string)).toBeLessThanOrEqual(CAP);
          expect(() => JSON.parse(value as string)).not.toThrow();
        }
      }
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  }, 60000);
});

/** In an options position a function is the other overload (the callback): use a non-function there. */
const notFn = (v: unknown) => (typeof v === "function" ? { fn: v } : v);

/** Every entry point taking a name, options or a carrier, fed one hostile value in each of those positions. */
const ENTRIES: Array<[string, (v: unknown, fn: () => string) => unknown]> = [
  ["span(name)", (v, fn) => Tracer.span(v as string, fn)],
  ["with(name)", (v, fn) => Tracer.with(v as string, fn)],
  ["startSpan(name, attributes)", (v, fn) => (Tracer.startSpan(v as string, v as never).end(), fn())],
  ["startAsCurrentSpan(name, attributes, fn)", (v, fn) => Tracer.startAsCurrentSpan(v as string, notFn(v) as never, fn)],
  ["startActiveSpan(options)", (v, fn) => Tracer.startActiveSpan(v as never, (s) => (s.end(), fn()))],
  [
    "startActiveSpan({ name, attributes })",
    (v, fn) => Tracer.startActiveSpan({ name: v as string, attributes: v as never }, (s) => (s.end(), fn())),
  ],
  ["startLinkedTrace(name, options)", (v, fn) => Tracer.span("parent", () => Tracer.startLinkedTrace(v as string, notFn(v) as never, fn))],
  ["continueTrace(carrier)", (v, fn) => Tracer.continueTrace(v as never, fn)],
  ["continueTrace(carrier, options)", (v, fn) => Tracer.continueTrace(v as never, notFn(v) as never, fn)],
  ["scopedContext(values)", (v, fn) => Tracer.scopedContext(v as never, fn)],
  ["observe(fn, options)", (v, fn) => observe(fn, v as never)()],
  ["inject(carrier)", (v, fn) => (propagation.inject(v as never), fn())],
  ["extract(carrier)", (v, fn) => (propagation.extract(v as never), fn())],
];

describe("host-app safety over hostile names, options and carriers", () => {
  it("no entry point throws, fn's value always comes back, and every exported name is a capped string", async () => {
    const tracer = await projectTracer(ctx, { maxQueueSize: 100000 });
    const warnings = await captureWarnings(() =>
      fc.assert(
        fc.property(spec, fc.integer({ min: 0, max: ENTRIES.length - 1 }), (description, e) => {
          const value = build(description);
          const [, entry] = ENTRIES[e];
          expect(entry(value, () => "sentinel")).toBe("sentinel");
          expect(Tracer.span("outer", () => entry(value, () => "inner"))).toBe("inner");
        }),
        { numRuns: 300 },
      ),
    );
    // Unreadable options are said (once per entry point), never thrown.
    for (const line of warnings) expect(line).toMatch(/^\[judgeval\] \w+: its options could not be read/);
    const spans = await received(ctx, tracer);
    expect(spans.length).toBeGreaterThanOrEqual(300);
    for (const span of spans) {
      expect(typeof span.name).toBe("string");
      expect(Buffer.byteLength(span.name)).toBeLessThanOrEqual(1024);
      for (const event of span.events) expect(Buffer.byteLength(event.name)).toBeLessThanOrEqual(1024);
      for (const key of Object.keys(span.attributes)) expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1024);
      // hostile carriers put reserved keys in their baggage: none becomes an attribute
      expect(span.attributes["judgment.span_kind"]).not.toBe("evil");
    }
  }, 60000);
});
