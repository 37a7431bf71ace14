/**
 * Export off (no credentials) traces as export on does: every public way of starting a span —
 * `@observe` on plain functions, sync and async generators and with `fork`, `Tracer.span`,
 * `startActiveSpan`, `startLinkedTrace`, `continueTrace` — gives the code inside a current span
 * whose ids `propagation.inject` writes. Each case runs in both modes with the same
 * expectations; with export on, the ids seen inside are also those the backend received.
 */
import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { exportOffTracer, one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

/** What code sees of its current span, and the traceparent it would send. */
interface Seen {
  traceId: string;
  spanId: string;
  traceparent: string | undefined;
}

function here(): Seen {
  const span = Tracer.getCurrentSpan();
  const headers: Record<string, string> = {};
  propagation.inject(headers);
  const { traceId, spanId } = span?.spanContext() ?? { traceId: "", spanId: "" };
  return { traceId, spanId, traceparent: headers.traceparent };
}

/** The current span is real and is what inject sends. */
function expectSent(seen: Seen): void {
  expect(seen.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  expect(seen.spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  expect(seen.traceparent).toBe(`00-${seen.traceId}-${seen.spanId}-01`);
}

function expectChild(child: Seen, parent: Seen): void {
  expectSent(child);
  expect(child.traceId).toBe(parent.traceId);
  expect(child.spanId).not.toBe(parent.spanId);
}

function expectNewTrace(inner: Seen, caller: Seen): void {
  expectSent(inner);
  expect(inner.traceId).not.toBe(caller.traceId);
}

const INCOMING = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

type Mode = "export on" | "export off";

describe.each<Mode>(["export on", "export off"])("%s", (mode) => {
  let tracer: Tracer;
  beforeEach(async () => {
    tracer = mode === "export on" ? await projectTracer(ctx) : await exportOffTracer({ projectName: "nowhere", setActive: true });
    await tracer.ready;
    expect(tracer.projectId !== undefined).toBe(mode === "export on");
  });
  afterEach(() => tracer.shutdown());

  /** With export on, the backend has the span named `name` (not an item span) with these ids. */
  async function onTheWire(name: string, seen: Seen, parentSpanId?: string): Promise<void> {
    if (mode === "export off") return;
    const spans = (await received(ctx, tracer)).filter((s) => s.attributes["judgment.span_kind"] !== "generator_item");
    const span = one(spans, name);
    expect([span.traceId, span.spanId]).toEqual([seen.traceId, seen.spanId]);
    if (parentSpanId !== undefined) expect(span.parentSpanId).toBe(parentSpanId);
  }

  it("a sync generator's body runs in its span at every step, also after the caller returned", async () => {
    const steps: Seen[] = [];
    const gen = observe(function* gen() {
      steps.push(here());
      yield 1;
      steps.push(here());
      yield 2;
    });
    let caller!: Seen;
    const make = observe(function caller_() {
      caller = here();
      return gen();
    });
    const it = make();
    expect(Tracer.getCurrentSpan()).toBeUndefined();
    expect([...it]).toEqual([1, 2]);
    expectChild(steps[0], caller);
    expect(steps[1]).toEqual(steps[0]);
    await onTheWire("gen", steps[0], caller.spanId);
  });

  it("an async generator's body runs in its span across awaits", async () => {
    const steps: Seen[] = [];
    const stream = observe(async function* stream() {
      steps.push(here());
      yield "a";
      await new Promise((r) => setImmediate(r));
      steps.push(here());
      yield "b";
    });
    let caller!: Seen;
    const consume = observe(async function consume() {
      caller = here();
      const out: string[] = [];
      for await (const item of stream()) out.push(item);
      return out;
    });
    expect(await consume()).toEqual(["a", "b"]);
    expectChild(steps[0], caller);
    expect(steps[1]).toEqual(steps[0]);
    await onTheWire("stream", steps[0], caller.spanId);
  });

  it("observe({ fork: true }) runs in a new trace", async () => {
    let inner!: Seen;
    const forked = observe(
      function forked() {
        inner = here();
        return 1;
      },
      { fork: true },
    );
    let caller!: Seen;
    observe(function caller_() {
      caller = here();
      return forked();
    })();
    expectNewTrace(inner, caller);
    if (mode === "export on") {
      const root = (await received(ctx, tracer)).find((s) => s.name === "forked" && s.parentSpanId === null)!;
      expect([root.traceId, root.spanId]).toEqual([inner.traceId, inner.spanId]);
    }
  });

  it("startLinkedTrace gives fn the new trace's root as the current span", async () => {
    let caller!: Seen;
    let inner!: Seen;
    let given!: { traceId: string; spanId: string };
    observe(function caller_() {
      caller = here();
      Tracer.startLinkedTrace("linked", (span) => {
        inner = here();
        given = span.spanContext();
      });
    })();
    expectNewTrace(inner, caller);
    expect({ traceId: given.traceId, spanId: given.spanId }).toEqual({ traceId: inner.traceId, spanId: inner.spanId });
  });

  it("Tracer.span, startActiveSpan and startSpan nest under the observed span", async () => {
    let caller!: Seen;
    let block!: Seen;
    let active!: Seen;
    let manualParent!: string;
    observe(function caller_() {
      caller = here();
      Tracer.span("block", () => {
        block = here();
        Tracer.startActiveSpan({ name: "active" }, (span) => {
          active = here();
          span.end();
        });
      });
      const manual = Tracer.startSpan("manual");
      manualParent = manual.spanContext().traceId;
      manual.end();
    })();
    expectChild(block, caller);
    expectChild(active, block);
    expect(manualParent).toBe(caller.traceId);
    await onTheWire("block", block, caller.spanId);
  });

  it("continueTrace: observed calls and generators inside continue the incoming trace", async () => {
    const incoming: Seen = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceparent: INCOMING };
    let handler!: Seen;
    let genStep!: Seen;
    let forkedRemote!: Seen;
    const items = observe(function* items() {
      genStep = here();
      yield 1;
    });
    // no local span to link from: fork stays in the incoming trace, as a child
    const forked = observe(
      function forkedRemote_() {
        forkedRemote = here();
      },
      { fork: true },
    );
    const gen = Tracer.continueTrace({ traceparent: INCOMING }, () => {
      forked();
      return observe(function handler_() {
        handler = here();
        return items();
      })();
    });
    expect([...gen]).toEqual([1]);
    expectChild(handler, incoming);
    expectChild(forkedRemote, incoming);
    expectChild(genStep, handler);
    await onTheWire("handler_", handler, incoming.spanId);
  });
});

describe("export off: what observing returns", () => {
  let tracer: Tracer;
  beforeEach(async () => {
    tracer = await exportOffTracer({ projectName: "nowhere" });
  });
  afterEach(() => tracer.shutdown());

  it("a rejection the caller handles is reported nowhere", async () => {
    const reports: unknown[] = [];
    const onUnhandled = (reason: unknown) => reports.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const fails = observe(async function fails(): Promise<never> {
        throw new Error("handled");
      });
      await expect(fails()).rejects.toThrow("handled");
      for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(reports).toEqual([]);
  });
});
