/** The small contract items: parameter recording, linked traces without a parent, evaluation numbering, export off. */
import { context } from "@opentelemetry/api";
import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { exportOffTracer, io, one, projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();

describe("parameters", () => {
  it("records destructured parameters by the names they bind", async () => {
    const tracer = await projectTracer(ctx);
    const f = observe(function plan(
      { goal, budget: limit }: { goal: string; budget: number },
      [first, , third]: string[],
      { deep: { x } }: { deep: { x: number } },
    ) {
      return `${goal}${limit}${first}${third}${x}`;
    });
    expect(f({ goal: "g", budget: 3 }, ["a", "b", "c"], { deep: { x: 9 } })).toBe("g3ac9");
    expect(io(one(await received(ctx, tracer), "plan")).input).toEqual({ goal: "g", limit: 3, first: "a", third: "c", x: 9 });
  });

  it("records a default parameter the caller omitted", async () => {
    const tracer = await projectTracer(ctx);
    const f = observe(function withDefaults(a: number, b = 2, label = "none", flag = true, opts: Record<string, unknown> = {}) {
      return `${a + b}${label}${flag}${Object.keys(opts).length}`;
    });
    expect(f(1)).toBe("3nonetrue0");
    expect(io(one(await received(ctx, tracer), "withDefaults")).input).toEqual({ a: 1, b: 2, label: "none", flag: true, opts: {} });
  });

  it("explicit names for minified code: paramNames and spanName", async () => {
    const tracer = await projectTracer(ctx);
    // what a minifier leaves: one-letter names
    const minified = observe(
      function e(t: number, n: number) {
        return t + n;
      },
      { spanName: "add", paramNames: ["left", "right"] },
    );
    expect(minified(1, 2)).toBe(3);
    expect(io(one(await received(ctx, tracer), "add")).input).toEqual({ left: 1, right: 2 });
  });
});

describe("startLinkedTrace without a parent", () => {
  it("keeps its spanType and attributes on the plain span", async () => {
    const tracer = await projectTracer(ctx);
    const warnings = await captureWarnings(() =>
      Tracer.startLinkedTrace("orphan", { spanType: "agent", attributes: { team: "red" } }, () => 1),
    );
    expect(warnings).toEqual([
      '[judgeval] startLinkedTrace("orphan") needs an active recording span to link from; ran it as a plain span.',
    ]);
    const span = one(await received(ctx, tracer), "orphan");
    expect(span.spanType).toBe("agent");
    expect(span.attributes.team).toBe("red");
  });
});

describe("asyncEvaluate", () => {
  it("numbers the payloads of a span from 0", async () => {
    const tracer = await projectTracer(ctx);
    observe(function judged() {
      Tracer.asyncEvaluate("faithfulness");
      Tracer.asyncEvaluate("relevance");
    })();
    const raw = one(await received(ctx, tracer), "judged").attributes["judgment.pending_trace_eval"];
    expect(typeof raw).toBe("string");
    const pending = JSON.parse(raw as string) as Array<{ eval_name: string }>;
    expect(pending.map((p) => p.eval_name)).toEqual(["async_evaluate_faithfulness_0", "async_evaluate_relevance_1"]);
  });
});

describe("export off still traces", () => {
  const noCredentials = { projectName: "nowhere" };

  it("observe makes real spans with fresh ids: current span, nesting, inject", async () => {
    const tracer = await exportOffTracer(noCredentials);
    const seen: Array<{ traceId: string; spanId: string; header: string | undefined }> = [];
    const inner = observe(function inner() {
      const span = Tracer.getCurrentSpan();
      const headers: Record<string, string> = {};
      propagation.inject(headers);
      seen.push({ traceId: span!.spanContext().traceId, spanId: span!.spanContext().spanId, header: headers.traceparent });
      return Tracer.span("manual", (s) => s.spanContext().traceId);
    });
    const outer = observe(function outer() {
      seen.push({
        traceId: Tracer.getCurrentSpan()!.spanContext().traceId,
        spanId: Tracer.getCurrentSpan()!.spanContext().spanId,
        header: undefined,
      });
      return inner();
    });
    const manualTrace = outer();
    expect(seen[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[0].traceId).not.toBe("0".repeat(32));
    expect(seen[1].traceId).toBe(seen[0].traceId);
    expect(seen[1].spanId).not.toBe(seen[0].spanId);
    expect(seen[1].header).toBe(`00-${seen[0].traceId}-${seen[1].spanId}-01`);
    expect(manualTrace).toBe(seen[0].traceId);
    // a second call is a new trace
    outer();
    expect(seen[2].traceId).not.toBe(seen[0].traceId);
    // outside any span there is none
    expect(Tracer.getCurrentSpan()).toBeUndefined();
    expect(context.active()).toBeDefined();
    await tracer.shutdown();
  });

  it("continues an incoming trace", async () => {
    const tracer = await exportOffTracer(noCredentials);
    const handler = observe(function handler() {
      const headers: Record<string, string> = {};
      propagation.inject(headers);
      return headers.traceparent;
    });
    const out = Tracer.continueTrace({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate: "v=1" }, () =>
      handler(),
    );
    expect(out).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-01$/);
    await tracer.shutdown();
  });
});
