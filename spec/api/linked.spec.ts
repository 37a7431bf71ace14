import { Tracer, observe } from "../../lib/index.js";
import type { StoredSpan } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { io, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** The invocation span (in the caller's trace) and the linked root (in its own trace) named `name`. */
function pairOf(spans: StoredSpan[], name: string): { invocation: StoredSpan; root: StoredSpan } {
  const invocation = spans.find((s) => s.name === name && s.attributes["judgment.link.target_trace_id"])!;
  const root = spans.find((s) => s.name === name && s.attributes["judgment.link.source_trace_id"])!;
  expect(invocation).toBeDefined();
  expect(root).toBeDefined();
  return { invocation, root };
}

function expectLinked(invocation: StoredSpan, root: StoredSpan): void {
  expect(root.parentSpanId).toBeNull();
  expect(root.traceId).not.toBe(invocation.traceId);
  expect(invocation.attributes["judgment.link.target_trace_id"]).toMatch(HEX32);
  expect(invocation.attributes["judgment.link.target_span_id"]).toMatch(HEX16);
  expect(invocation.attributes).toMatchObject({
    "judgment.link.target_trace_id": root.traceId,
    "judgment.link.target_span_id": root.spanId,
  });
  expect(root.attributes).toMatchObject({
    "judgment.link.source_trace_id": invocation.traceId,
    "judgment.link.source_span_id": invocation.spanId,
  });
  expect(invocation.links.map((l) => [l.traceId, l.spanId])).toEqual([[root.traceId, root.spanId]]);
  expect(root.links.map((l) => [l.traceId, l.spanId])).toEqual([[invocation.traceId, invocation.spanId]]);
}

class Orchestrator {
  @observe({ spanType: "agent", fork: true })
  async delegate(task: string): Promise<string> {
    Tracer.span("sub-step", () => undefined);
    return `done:${task}`;
  }

  @observe({ fork: true })
  explode(): never {
    throw new Error("sub-system failed");
  }

  @observe({ fork: true })
  *items() {
    yield 1;
  }

  @observe({ spanType: "agent" })
  async run(): Promise<string> {
    Tracer.setSessionId("sess-fork");
    const out = await this.delegate("t1");
    try {
      this.explode();
    } catch {
      // recorded on both spans
    }
    expect([...this.items()]).toEqual([1]);
    return out;
  }
}

describe("observe({ fork: true })", () => {
  it("makes an invocation span in the caller's trace and a linked root in a new trace, ids and links both ways", async () => {
    const tracer = await projectTracer(ctx);
    expect(await new Orchestrator().run()).toBe("done:t1");
    const spans = await received(ctx, tracer);
    const run = spans.find((s) => s.name === "run")!;
    const { invocation, root } = pairOf(spans, "delegate");
    expectLinked(invocation, root);
    expect(invocation.parentSpanId).toBe(run.spanId);
    expect(invocation.traceId).toBe(run.traceId);
    expect(root.spanType).toBe("agent");
    expect(io(invocation)).toEqual({ input: { task: "t1" }, output: "done:t1" });
    expect(io(root)).toEqual({ input: { task: "t1" }, output: "done:t1" });
    expect(spans.find((s) => s.name === "sub-step")!.parentSpanId).toBe(root.spanId);
    expect(root.attributes["judgment.session_id"]).toBe("sess-fork");

    const failed = pairOf(spans, "explode");
    expectLinked(failed.invocation, failed.root);
    for (const s of [failed.invocation, failed.root]) expect(s.status).toEqual({ code: "error", message: "sub-system failed" });

    const items = spans.filter((s) => s.name === "items" && s.spanType === "generator");
    expect(items).toHaveLength(1);
    expect(items[0].parentSpanId).toBe(run.spanId);
  });

  it("without a recording parent, behaves as a plain observe", async () => {
    const tracer = await projectTracer(ctx);
    expect(await new Orchestrator().delegate("solo")).toBe("done:solo");
    const spans = (await received(ctx, tracer)).filter((s) => s.name === "delegate");
    expect(spans).toHaveLength(1);
    expect(spans[0].parentSpanId).toBeNull();
    expect(spans[0].attributes["judgment.link.source_trace_id"]).toBeUndefined();
  });
});

describe("Tracer.startLinkedTrace", () => {
  it("runs fn with the linked root active, carrying baggage and propagated ids", async () => {
    const tracer = await projectTracer(ctx);
    const result = await Tracer.span("caller", async () => {
      Tracer.setCustomerId("cust-7");
      return Tracer.startLinkedTrace("background-job", { attributes: { queue: "q1" }, spanType: "tool" }, async (root) => {
        expect(Tracer.getCurrentSpan()).toBe(root);
        Tracer.span("job-step", () => undefined);
        return 7;
      });
    });
    expect(result).toBe(7);
    const spans = await received(ctx, tracer);
    const { invocation, root } = pairOf(spans, "background-job");
    expectLinked(invocation, root);
    expect(root.attributes).toMatchObject({ queue: "q1", "judgment.span_kind": "tool", "judgment.customer_id": "cust-7" });
    expect(invocation.spanType).toBe("tool");
    expect(spans.find((s) => s.name === "job-step")!.parentSpanId).toBe(root.spanId);
  });

  it("a span kind among the attributes wins on the root; spanType null writes no kind", async () => {
    const tracer = await projectTracer(ctx);
    Tracer.span("caller", () => {
      Tracer.startLinkedTrace("kind-given", { attributes: { "judgment.span_kind": "agent" }, spanType: "tool" }, () => undefined);
      Tracer.startLinkedTrace("kind-none", { spanType: null }, () => undefined);
    });
    const spans = await received(ctx, tracer);
    const given = pairOf(spans, "kind-given");
    expect([given.root.spanType, given.invocation.spanType]).toEqual(["agent", "tool"]);
    const none = pairOf(spans, "kind-none");
    expect([none.root.attributes["judgment.span_kind"], none.invocation.attributes["judgment.span_kind"]]).toEqual([undefined, undefined]);
  });

  it("without a recording parent: a plain span and one warning", async () => {
    const tracer = await projectTracer(ctx);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(Tracer.startLinkedTrace("orphan", () => 1)).toBe(1);
      expect(Tracer.startLinkedTrace("orphan", () => 2)).toBe(2);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    const spans = (await received(ctx, tracer)).filter((s) => s.name === "orphan");
    expect(spans).toHaveLength(2);
    expect(spans.every((s) => s.parentSpanId === null && !s.attributes["judgment.link.source_trace_id"])).toBe(true);
  });
});
