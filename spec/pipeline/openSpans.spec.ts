/**
 * The open-span bookkeeping behind partial emits keys spans an export has seen by span id: spans
 * that share an id (a repeated id from an id generator) stay apart.
 */
import { TracerProvider } from "@opentelemetry/sdk-trace";
import type { Span } from "@opentelemetry/sdk-trace";
import { OpenSpans } from "../../lib/pipeline/open-spans.js";

/** Spans of a provider whose id generator repeats one span id. */
function sameIdSpans(count: number): Span[] {
  let trace = 0;
  const provider = new TracerProvider({
    idGenerator: {
      generateTraceId: () => (++trace).toString(16).padStart(32, "0"),
      generateSpanId: () => "00000000000000aa",
    },
  });
  const tracer = provider.getTracer("open-spans-spec");
  return Array.from({ length: count }, (_, i) => tracer.startSpan(`same-${i}`) as unknown as Span);
}

describe("open spans", () => {
  it("keeps spans with the same id apart once an export has seen them", () => {
    const open = new OpenSpans(true, 1000);
    const [a, b] = sameIdSpans(2);
    open.add(a);
    open.add(b);
    expect(open.snapshots().map((s) => s.name)).toEqual(["same-0", "same-1"]);
    expect(open.unseen).toBe(0);
    expect([open.has(a), open.has(b), open.has({}), open.has(undefined)]).toEqual([true, true, false, false]);
    b.setAttribute("progress", 1);
    expect(open.snapshots().map((s) => s.name)).toEqual(["same-1"]);
    a.end();
    expect(open.end(a)).toBe(1);
    expect([open.has(a), open.has(b)]).toEqual([false, true]);
    b.end();
    expect(open.end(b)).toBe(2);
    expect(open.has(b)).toBe(false);
    expect(open.snapshots()).toEqual([]);
  });

  it("finds spans with the same id that outlived the newest ones without an export", () => {
    const open = new OpenSpans(true, 1000);
    const spans = sameIdSpans(150);
    for (const s of spans) open.add(s);
    expect(open.unseen).toBe(150);
    // the oldest first: none of them is among the newest any more
    for (const s of spans) {
      s.end();
      expect(open.has(s)).toBe(true);
      expect(open.end(s)).toBe(0);
      expect(open.has(s)).toBe(false);
    }
    expect(open.unseen).toBe(0);
    expect(open.snapshots()).toEqual([]);
  });
});
