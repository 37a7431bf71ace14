/**
 * Partial emits are bounded: an open span is re-sent only when it changed since its last copy,
 * and the open spans kept for them are capped, with the overflow counted and warned about.
 */
import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();

describe("partial emits", () => {
  it("sends a never-ending span once, and again only after it changed", async () => {
    const tracer = await projectTracer(ctx, { exportIntervalMillis: 60000 });
    const before = ctx.backend.counters.acceptedLiveSpans;
    const never = observe(function never(i: number) {
      return new Promise(() => i);
    });
    for (let i = 0; i < 50; i++) void never(i);
    const manual = Tracer.startSpan("manual");
    for (let round = 0; round < 5; round++) expect(await tracer.forceFlush(10000)).toBe(true);
    // 51 open spans, one copy each, over five exports
    expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(51);
    manual.setAttribute("progress", 1);
    expect(await tracer.forceFlush(10000)).toBe(true);
    expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(52);
    manual.end();
    expect(await tracer.forceFlush(10000)).toBe(true);
    expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(53);
    expect(ctx.backend.spans({ projectId: tracer.projectId })).toHaveLength(51);
  });

  it("keeps at most maxOpenSpans open spans, warning with the count of those left out", async () => {
    const warnings = await captureWarnings(async () => {
      const tracer = await projectTracer(ctx, { exportIntervalMillis: 60000, maxOpenSpans: 10 });
      const before = ctx.backend.counters.acceptedLiveSpans;
      const spans = Array.from({ length: 15 }, (_, i) => Tracer.startSpan(`open-${i}`));
      expect(await tracer.forceFlush(10000)).toBe(true);
      expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(10);
      for (const s of spans) s.end();
      expect(await tracer.forceFlush(10000)).toBe(true);
      // every span is delivered when it ends, tracked or not
      expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(25);
      expect(ctx.backend.spans({ projectId: tracer.projectId }).filter((s) => s.ended)).toHaveLength(15);
    });
    expect(warnings.join("\n")).toMatch(/5 open spans .*maxOpenSpans 10/);
  });

  it("frees the room of every span that ends: after many more than maxOpenSpans came and went, a new one is sent open", async () => {
    const warnings = await captureWarnings(async () => {
      const tracer = await projectTracer(ctx, { exportIntervalMillis: 60000, maxOpenSpans: 10 });
      const before = ctx.backend.counters.acceptedLiveSpans;
      for (let i = 0; i < 100; i++) Tracer.startSpan(`done-${i}`).end();
      const open = Tracer.startSpan("still-open");
      expect(await tracer.forceFlush(10000)).toBe(true);
      // 100 final copies and the open span's partial copy
      expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(101);
      open.end();
    });
    expect(warnings.join("\n")).not.toMatch(/maxOpenSpans/);
  });

  it("tracks many open spans, ended in any order, each final copy numbered by the copies sent before it", async () => {
    const tracer = await projectTracer(ctx, { exportIntervalMillis: 60000 });
    const before = ctx.backend.counters.acceptedLiveSpans;
    // 200 open at once: more than the newest spans the processor keeps in start order
    const spans = Array.from({ length: 200 }, (_, i) => Tracer.startSpan(`many-${i}`));
    // half end before any export has seen them, oldest first and every other one
    for (let i = 0; i < 200; i += 2) spans[i].end();
    expect(await tracer.forceFlush(10000)).toBe(true);
    // 100 final copies, and a partial copy of each of the 100 still open
    expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(200);
    for (let i = 199; i > 0; i -= 2) spans[i].end();
    expect(await tracer.forceFlush(10000)).toBe(true);
    expect(ctx.backend.counters.acceptedLiveSpans - before).toBe(300);
    const stored = ctx.backend.spans({ projectId: tracer.projectId }).filter((s) => s.name.startsWith("many-"));
    expect(stored).toHaveLength(200);
    for (const s of stored) {
      expect(s.ended).toBe(true);
      expect(s.updateId).toBe(Number(s.name.slice(5)) % 2);
    }
  });
});
