import { SpanStatusCode, type Span, type TraceState } from "@opentelemetry/api";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { one, projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();
const MiB = 1024 * 1024;
const MARKER = /…\[truncated \d+ bytes\]/;

describe("a malformed span is repaired or dropped alone, never its batch", () => {
  it("a Uint8Array span name or event name, a non-string status message: all 11 spans delivered", async () => {
    const tracer = await projectTracer(ctx);
    const otel = Tracer.getOTELTracer();
    for (let i = 0; i < 10; i++) Tracer.span(`ok-${i}`, () => i);
    const bad = otel.startSpan(new Uint8Array([104, 105]) as unknown as string);
    bad.addEvent(new Uint8Array(3) as unknown as string);
    bad.setStatus({ code: SpanStatusCode.ERROR, message: { not: "a string" } as unknown as string });
    bad.end();
    const spans = await received(ctx, tracer);
    expect(spans).toHaveLength(11);
    const repaired = spans.find((s) => !s.name.startsWith("ok-"))!;
    expect(typeof repaired.name).toBe("string");
    expect(typeof repaired.events[0].name).toBe("string");
    expect(repaired.status.code).toBe("error");
  });

  it("a span the encoder refuses is dropped alone, counted and logged", async () => {
    const tracer = await projectTracer(ctx);
    const lines = await captureWarnings(async () => {
      for (let i = 0; i < 10; i++) Tracer.span(`ok-${i}`, () => i);
      // a link whose trace state cannot be written: the encoder throws on it
      const traceState = {
        serialize: () => {
          throw new Error("hostile trace state");
        },
      } as unknown as TraceState;
      Tracer.span("bad-link", (span: Span) => span.addLink({ context: { ...span.spanContext(), traceState } }));
      // honest: not every span was delivered
      expect(await tracer.forceFlush()).toBe(false);
      const spans = ctx.backend.spans({ projectId: tracer.projectId });
      expect(spans.map((s) => s.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `ok-${i}`).sort());
      await tracer.forceFlush();
    });
    expect(lines).toEqual([expect.stringMatching(/dropped 1 span.*could not be encoded/)]);
  });
});

describe("names, event names and keys are capped like values", () => {
  it("a 20 MB span name, a 12 MB event name and a 5 MB key arrive capped with a marker", async () => {
    const tracer = await projectTracer(ctx);
    Tracer.span("n".repeat(20 * MiB), (span) => {
      span.addEvent("e".repeat(12 * MiB), { small: 1 });
      span.setAttribute("k".repeat(5 * MiB), "v");
    });
    Tracer.span("neighbour", () => undefined);
    const spans = await received(ctx, tracer);
    expect(spans).toHaveLength(2);
    const big = spans.find((s) => s.name !== "neighbour")!;
    expect(Buffer.byteLength(big.name)).toBeLessThanOrEqual(1024);
    expect(big.name).toMatch(/^n+…\[truncated \d+ bytes\]$/);
    expect(Buffer.byteLength(big.events[0].name)).toBeLessThanOrEqual(1024);
    expect(big.events[0].name).toMatch(MARKER);
    const key = Object.keys(big.attributes).find((k) => k.startsWith("kkk"))!;
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1024);
    expect(key).toMatch(MARKER);
    expect(big.attributes[key]).toBe("v");
  });
});

describe("a span's total size is capped", () => {
  it("300 capped values (~19 MB) are trimmed largest first, with a marker; the span and its batch arrive", async () => {
    const tracer = await projectTracer(ctx, { spanLimits: { attributeCountLimit: 1000 } });
    Tracer.span("huge", (span) => {
      span.setAttribute("small", "keep me");
      for (let i = 0; i < 300; i++) span.setAttribute(`a${i}`, "x".repeat(64 * 1024 - 10));
    });
    Tracer.span("neighbour", () => undefined);
    const spans = await received(ctx, tracer);
    const huge = one(spans, "huge");
    one(spans, "neighbour");
    expect(huge.attributes.small).toBe("keep me");
    const trimmed = Object.entries(huge.attributes).filter(([k]) => /^a\d+$/.test(k));
    expect(trimmed).toHaveLength(300);
    for (const [, value] of trimmed) expect(value).toMatch(MARKER);
    const total = trimmed.reduce((n, [, v]) => n + Buffer.byteLength(v as string), 0);
    expect(total).toBeLessThanOrEqual(2 * MiB);
    expect(total).toBeGreaterThan(MiB);
    const ingests = ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId);
    expect(ingests.every((r) => r.status === 200)).toBe(true);
  });

  it("events' values count too", async () => {
    const tracer = await projectTracer(ctx);
    Tracer.span("eventful", (span) => {
      for (let i = 0; i < 100; i++) span.addEvent(`e${i}`, { payload: "中".repeat(21000) });
    });
    const span = one(await received(ctx, tracer), "eventful");
    expect(span.events).toHaveLength(100);
    const total = span.events.reduce((n, e) => n + Buffer.byteLength(e.attributes.payload as string), 0);
    expect(total).toBeLessThanOrEqual(2 * MiB);
  });
});

describe("batches", () => {
  it("no request exceeds the request cap, whatever the characters", async () => {
    const tracer = await projectTracer(ctx, { maxAttributeBytes: 2 * MiB });
    for (let i = 0; i < 12; i++) Tracer.span(`wide-${i}`, (span) => span.setAttribute("text", "語".repeat(600_000)));
    const spans = await received(ctx, tracer);
    expect(spans).toHaveLength(12);
    const ingests = ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId);
    expect(ingests.length).toBeGreaterThan(1);
    for (const r of ingests) {
      expect(r.status).toBe(200);
      expect(r.bodyBytes).toBeLessThanOrEqual(4 * MiB);
    }
  });
});
