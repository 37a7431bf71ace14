import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

describe("propagated attributes", () => {
  it("apply to the current span and every span started later beneath it, also after await", async () => {
    const tracer = await projectTracer(ctx);
    const handler = observe(
      async () => {
        Tracer.span("before", () => undefined);
        Tracer.setSessionId("s-1");
        Tracer.setCustomerId("c-1");
        Tracer.setCustomerUserId("u-1");
        Tracer.setPropagatingAttribute("tenant", "acme");
        await new Promise((r) => setImmediate(r));
        await observe(async () => Tracer.span("grandchild", () => undefined), { spanName: "child" })();
      },
      { spanName: "handler" },
    );
    await handler();
    Tracer.span("unrelated", () => undefined);
    const spans = await received(ctx, tracer);
    const expected = { "judgment.session_id": "s-1", "judgment.customer_id": "c-1", "judgment.customer_user_id": "u-1", tenant: "acme" };
    for (const name of ["handler", "child", "grandchild"]) expect(one(spans, name).attributes).toMatchObject(expected);
    for (const name of ["before", "unrelated"]) expect(one(spans, name).attributes["judgment.session_id"]).toBeUndefined();
  });

  it("refuses judgment.* keys for custom propagated attributes, with one warning", async () => {
    const tracer = await projectTracer(ctx);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      Tracer.span("reserved", () => {
        Tracer.setPropagatingAttribute("judgment.span_kind", "x");
        Tracer.setPropagatingAttribute("judgment.span_kind", "y");
      });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    expect(one(await received(ctx, tracer), "reserved").spanType).toBe("span");
  });

  it("scopedContext applies values for fn's duration and restores the outer ones on exit or throw", async () => {
    const tracer = await projectTracer(ctx);
    await Tracer.span("outer", async () => {
      Tracer.setSessionId("outer-session");
      await Tracer.scopedContext({ sessionId: "scoped", customerId: "cust", attributes: { plan: "pro" } }, async () => {
        await new Promise((r) => setImmediate(r));
        Tracer.span("inside", () => {
          Tracer.setSessionId("deeper");
          Tracer.span("deepest", () => undefined);
        });
      });
      expect(() =>
        Tracer.scopedContext({ sessionId: "thrown" }, () => {
          throw new Error("x");
        }),
      ).toThrow("x");
      Tracer.span("after", () => undefined);
    });
    const spans = await received(ctx, tracer);
    expect(one(spans, "inside").attributes).toMatchObject({ "judgment.session_id": "deeper", "judgment.customer_id": "cust", plan: "pro" });
    expect(one(spans, "deepest").attributes).toMatchObject({ "judgment.session_id": "deeper", plan: "pro" });
    expect(one(spans, "after").attributes["judgment.session_id"]).toBe("outer-session");
    expect(one(spans, "after").attributes.plan).toBeUndefined();
  });
});

describe("tags and async evaluation", () => {
  it("Tracer.tag posts tags for the current trace in the background; forceFlush waits for them", async () => {
    const tracer = await projectTracer(ctx);
    let traceId = "";
    Tracer.span("tagged", (span) => {
      traceId = span.spanContext().traceId;
      Tracer.tag("rag");
      Tracer.tag(["v2", "premium", 3 as never]);
    });
    Tracer.tag("outside-any-span");
    expect(await tracer.forceFlush()).toBe(true);
    expect(ctx.backend.tags(traceId).sort()).toEqual(["premium", "rag", "v2"]);
  });

  it("asyncEvaluate queues numbered payloads on the span, absent from partial emits", async () => {
    const tracer = await projectTracer(ctx, { exportIntervalMillis: 60000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const answer = observe(
      async (question: string) => {
        Tracer.asyncEvaluate("faithfulness", { input: question, actual_output: "42" });
        Tracer.asyncEvaluate({ judge: "relevancy" });
        await gate;
        return "42";
      },
      { spanName: "answer" },
    );
    const running = answer("meaning?");
    await tracer.forceFlush();
    const partial = one(ctx.backend.spans({ projectId: tracer.projectId }), "answer");
    expect(partial.ended).toBe(false);
    expect(partial.attributes["judgment.pending_trace_eval"]).toBeUndefined();
    release();
    await running;
    const span = one(await received(ctx, tracer), "answer");
    const payloads = JSON.parse(span.attributes["judgment.pending_trace_eval"] as string);
    expect(payloads).toHaveLength(2);
    expect(payloads[0]).toMatchObject({
      project_id: tracer.projectId,
      eval_name: "async_evaluate_faithfulness_0",
      judges: [{ name: "faithfulness" }],
      is_offline: false,
      is_behavior: false,
    });
    expect(payloads[0].examples[0]).toMatchObject({ input: "meaning?", actual_output: "42", trace_id: span.traceId, span_id: span.spanId });
    expect(payloads[0].examples[0].example_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(payloads[0].examples[0].created_at).toISOString()).toBe(payloads[0].examples[0].created_at);
    expect(payloads[1].eval_name).toBe("async_evaluate_relevancy_1");
    expect(io(span).output).toBe("42");
  });
});
