import { LocalBackend } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { describeWithSqlite } from "../support/optional-deps.js";
import { encodeSpans, ingest, newSpanId, newTraceId, post, type SpanInput } from "../support/otlp-fixtures.js";

const nested = (depth: number): unknown => (depth === 0 ? "leaf" : [nested(depth - 1)]);

describe("judgeval dev ingest caps", () => {
  const ctx = useBackend({ limits: { maxSpansPerRequest: 100, maxAttributesPerSpan: 50, maxValueDepth: 8 } });

  it("refuses a request over a cap with 413 naming the cap, and stores nothing of it", async () => {
    const traceId = newTraceId();
    const many: SpanInput[] = Array.from({ length: 101 }, (_, i) => ({ traceId, spanId: newSpanId(), name: `s${i}` }));
    const tooMany = await ingest(ctx.backend, many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.json()).toEqual({
      error: expect.stringMatching(/carries 101 spans; the limit is 100 per request \(limits.maxSpansPerRequest\)/),
    });

    const attributes = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    const wide = await ingest(ctx.backend, [
      { traceId, spanId: newSpanId(), name: "ok" },
      { traceId, spanId: newSpanId(), name: "wide", attributes },
    ]);
    expect(wide.status).toBe(413);
    expect(wide.json()).toEqual({
      error: expect.stringMatching(/span "wide": 51 attributes in one map; the limit is 50 \(limits.maxAttributesPerSpan\)/),
    });

    const deep = await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "deep", attributes: { v: nested(9) } }]);
    expect(deep.status).toBe(413);
    expect(deep.json()).toEqual({
      error: expect.stringMatching(/span "deep": an attribute value is nested deeper than 8 levels \(limits.maxValueDepth\)/),
    });

    expect(ctx.backend.trace(traceId)).toEqual([]);
    // At the caps exactly, all is stored.
    const atCaps = await ingest(ctx.backend, [
      ...many.slice(0, 99),
      { traceId, spanId: newSpanId(), name: "edge", attributes: { ...Object.fromEntries(Object.entries(attributes).slice(0, 50)) } },
    ]);
    expect(atCaps.status).toBe(200);
    expect(ctx.backend.trace(traceId)).toHaveLength(100);
  });

  it("turns new requests away with 503 and Retry-After while the pending budget is spent", async () => {
    const backend = await LocalBackend.start({ limits: { maxPendingBytes: 1 } });
    try {
      const traceId = newTraceId();
      const body = encodeSpans([{ traceId, spanId: newSpanId(), name: "slow" }]);
      // A request whose body is still arriving holds the budget.
      const held = new AbortController();
      const stream = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(body.subarray(0, 1)) });
      const first = fetch(`${backend.url}/otel/v1/traces`, {
        method: "POST",
        body: stream,
        duplex: "half",
        signal: held.signal,
        headers: {
          authorization: `Bearer ${backend.apiKey}`,
          "x-organization-id": backend.organizationId,
          "content-type": "application/x-protobuf",
          "x-project-id": backend.projectId("p")!,
        },
      } as RequestInit).catch(() => undefined);
      await backend.waitForRequests((r) => r.some((x) => x.path === "/otel/v1/traces"));
      const second = await ingest(backend, [{ traceId, spanId: newSpanId(), name: "later" }], { projectName: "p" });
      expect(second.status).toBe(503);
      expect(second.headers.get("retry-after")).toBe("1");
      held.abort();
      await first;
    } finally {
      await backend.close();
    }
  });
});

describeWithSqlite("judgeval dev when the database is full", () => {
  it("answers 507, keeps nothing of that request, and keeps serving what it had", async () => {
    const backend = await LocalBackend.start({ retention: { maxBytes: 256 * 1024 } });
    try {
      const kept = newTraceId();
      expect((await ingest(backend, [{ traceId: kept, spanId: newSpanId(), name: "kept" }])).status).toBe(200);
      const big = newTraceId();
      const huge = "x".repeat(200_000);
      const spans: SpanInput[] = Array.from({ length: 3 }, (_, i) => ({
        traceId: big,
        spanId: newSpanId(),
        name: `big${i}`,
        attributes: { blob: huge + i },
      }));
      const reply = await ingest(backend, spans);
      expect(reply.status).toBe(507);
      expect(reply.json()).toEqual({ error: expect.stringMatching(/database is full.*nothing of this request was stored/) });
      expect(backend.trace(big)).toEqual([]);
      expect(backend.traces({ traceId: big })).toEqual([]);
      expect(backend.trace(kept).map((s) => s.name)).toEqual(["kept"]);
      // A request that fits is still taken.
      expect((await ingest(backend, [{ traceId: newTraceId(), spanId: newSpanId(), name: "small" }])).status).toBe(200);
    } finally {
      await backend.close();
    }
  });

  it("answers 507 only to the request that does not fit when it arrives with others (they share a commit)", async () => {
    const backend = await LocalBackend.start({ retention: { maxBytes: 256 * 1024 } });
    try {
      const small = Array.from({ length: 6 }, () => newTraceId());
      const big = newTraceId();
      const huge = "x".repeat(200_000);
      const replies = await Promise.all([
        ...small.slice(0, 3).map((traceId, i) => ingest(backend, [{ traceId, spanId: newSpanId(), name: `small${i}` }])),
        ingest(
          backend,
          Array.from({ length: 3 }, (_, i) => ({ traceId: big, spanId: newSpanId(), name: `big${i}`, attributes: { blob: huge + i } })),
        ),
        ...small.slice(3).map((traceId, i) => ingest(backend, [{ traceId, spanId: newSpanId(), name: `small${i + 3}` }])),
      ]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 507, 200, 200, 200]);
      expect(backend.trace(big)).toEqual([]);
      expect(backend.traces({ traceId: big })).toEqual([]);
      for (const traceId of small) expect(backend.trace(traceId)).toHaveLength(1);
    } finally {
      await backend.close();
    }
  });

  it("removes the oldest traces to stay under the size budget", async () => {
    const backend = await LocalBackend.start({ retention: { maxBytes: 1024 * 1024 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const traceId = newTraceId();
        ids.push(traceId);
        const reply = await ingest(backend, [
          {
            traceId,
            spanId: newSpanId(),
            name: `t${i}`,
            start: BigInt(Date.now()) * 1_000_000n + BigInt(i),
            attributes: { blob: "y".repeat(60_000) },
          },
        ]);
        expect(reply.status).toBe(200);
      }
      const counters = backend.counters;
      expect(counters.prunedTraces).toBeGreaterThan(0);
      const left = backend.traces().map((t) => t.traceId);
      // The newest are there, the oldest went first.
      expect(left).toContain(ids[39]);
      expect(left).not.toContain(ids[0]);
      expect(left.length + counters.prunedTraces).toBe(40);
    } finally {
      await backend.close();
    }
  });
});

describe("judgeval dev tags and queries survive hostile input", () => {
  const ctx = useBackend();
  it("rejects a malformed cursor and bad filters with 400", async () => {
    for (const q of ["cursor=abc", "status=weird", "limit=0", "from=yesterday-ish", `q=${"a".repeat(600)}`]) {
      const res = await post(ctx.backend, `/api/v1/traces?${q}`, "", {}, "GET");
      expect([q, res.status]).toEqual([q, 400]);
    }
  });
});
