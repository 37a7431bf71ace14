import { request } from "node:http";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { useBackend } from "../support/backend.js";
import { authHeaders, encodeSpans, ingest, ms, newSpanId, newTraceId, post, T0 } from "../support/otlp-fixtures.js";

const TEN_MB = 10 * 1024 * 1024;

describe("LocalBackend ingest", () => {
  const ctx = useBackend();
  const protobufHeaders = (): Record<string, string> => ({
    "content-type": "application/x-protobuf",
    "x-project-id": ctx.backend.projectId("test-project")!,
  });

  it("decodes spans, attributes of every type, events, links and the resource", async () => {
    const traceId = newTraceId();
    const [rootId, childId, linkedSpan] = [newSpanId(), newSpanId(), newSpanId()];
    const reply = await ingest(ctx.backend, [
      { traceId, spanId: rootId, name: "root", kind: 2, start: T0, end: T0 + ms(250), status: { code: 1 } },
      {
        traceId,
        spanId: childId,
        parentSpanId: rootId,
        name: "child",
        start: T0 + ms(10),
        end: T0 + ms(20.5),
        status: { code: 2, message: "boom" },
        attributes: {
          "judgment.span_kind": "tool",
          s: "text",
          b: true,
          i: 42,
          big: 2 ** 40,
          d: 1.5,
          arr: ["x", 1, false],
          obj: { nested: { deep: "yes" } },
          bytes: new Uint8Array([0xde, 0xad]),
        },
        events: [{ name: "exception", time: T0 + ms(15), attributes: { "exception.message": "boom" } }],
        links: [{ traceId: "ab".repeat(16), spanId: linkedSpan, attributes: { why: "fork" } }],
      },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/x-protobuf");

    const spans = ctx.backend.trace(traceId);
    expect(spans.map((s) => s.name)).toEqual(["root", "child"]);
    const [root, child] = spans as [(typeof spans)[0], (typeof spans)[0]];
    expect(root).toMatchObject({
      parentSpanId: null,
      kind: "server",
      spanType: "span",
      startTimeUnixNano: T0.toString(),
      endTimeUnixNano: (T0 + ms(250)).toString(),
      durationMs: 250,
      ended: true,
      status: { code: "ok", message: "" },
      offline: false,
      updateId: 0,
      projectId: ctx.backend.projectId("test-project"),
      resource: { "service.name": "test" },
      scope: { name: "judgeval", version: "0.0.0" },
    });
    expect(child).toMatchObject({
      traceId,
      spanId: childId,
      parentSpanId: rootId,
      kind: "internal",
      spanType: "tool",
      durationMs: 10.5,
      status: { code: "error", message: "boom" },
      attributes: {
        s: "text",
        b: true,
        i: 42,
        big: 2 ** 40,
        d: 1.5,
        arr: ["x", 1, false],
        obj: { nested: { deep: "yes" } },
        bytes: "dead",
      },
      events: [{ name: "exception", timeUnixNano: (T0 + ms(15)).toString(), attributes: { "exception.message": "boom" } }],
      links: [{ traceId: "ab".repeat(16), spanId: linkedSpan, traceState: "", attributes: { why: "fork" } }],
    });
  });

  it("reads 64-bit timestamps and signed integers exactly as sent", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 40n }),
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        async (start, length, int) => {
          const traceId = newTraceId();
          const end = start + length > 2n ** 64n - 1n ? start : start + length;
          const reply = await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "t", start, end, attributes: { int } }]);
          const [span] = ctx.backend.trace(traceId);
          return (
            reply.status === 200 &&
            span.startTimeUnixNano === start.toString() &&
            span.endTimeUnixNano === end.toString() &&
            span.durationMs === Number(end - start) / 1e6 &&
            span.attributes["int"] === int
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reads attribute keys exactly as sent, when the same keys come again in later requests", async () => {
    // Keys repeat across requests (the reader caches short ones by their bytes): ASCII, Unicode, and near-equal keys.
    const key = fc.oneof(
      fc.constantFrom("judgment.input", "judgment.inpuT", "é", "e\u0301", "ключ", "\u{1F600}", ""),
      fc.string({ unit: "binary", maxLength: 70 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { maxLength: 8 }), async (keys) => {
        const traceId = newTraceId();
        const attributes = Object.fromEntries(keys.map((k, i) => [k, i]));
        const reply = await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "k", attributes }]);
        const [span] = ctx.backend.trace(traceId);
        return reply.status === 200 && keys.every((k, i) => Object.hasOwn(span.attributes, k) && span.attributes[k] === i);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps only the copy with the highest judgment.update_id, whatever the arrival order", async () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    const copy = (updateId: number | undefined, name: string) => ({
      traceId,
      spanId,
      name,
      attributes: updateId === undefined ? {} : { "judgment.update_id": updateId },
    });
    await ingest(ctx.backend, [copy(undefined, "first")]);
    await ingest(ctx.backend, [copy(2, "final")]);
    await ingest(ctx.backend, [copy(1, "stale")]);
    expect(ctx.backend.trace(traceId)).toEqual([expect.objectContaining({ name: "final", updateId: 2 })]);
    await ingest(ctx.backend, [copy(1, "a"), copy(3, "b")]);
    expect(ctx.backend.trace(traceId)).toEqual([expect.objectContaining({ name: "b", updateId: 3 })]);
  });

  it("treats a span without end time as in progress until its final copy arrives", async () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    await ingest(ctx.backend, [{ traceId, spanId, name: "long", end: 0n, attributes: { "judgment.update_id": 0 } }]);
    expect(ctx.backend.trace(traceId)[0]).toMatchObject({ ended: false, durationMs: 0, endTimeUnixNano: "0" });
    expect(ctx.backend.traces({ traceId })[0].inProgress).toBe(true);
    await ingest(ctx.backend, [{ traceId, spanId, name: "long", end: T0 + ms(5), attributes: { "judgment.update_id": 1 } }]);
    expect(ctx.backend.traces({ traceId })[0]).toMatchObject({ inProgress: false, durationMs: 5 });
  });

  it("keeps live and offline spans apart", async () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    await ingest(ctx.backend, [{ traceId, spanId, name: "live" }]);
    await ingest(ctx.backend, [{ traceId, spanId, name: "offline" }], { offline: true });
    expect(ctx.backend.trace(traceId, { offline: false }).map((s) => s.name)).toEqual(["live"]);
    expect(ctx.backend.trace(traceId, { offline: true }).map((s) => s.name)).toEqual(["offline"]);
    expect(
      ctx.backend
        .traces({ traceId })
        .map((t) => t.offline)
        .sort(),
    ).toEqual([false, true]);
    expect(ctx.backend.spans({ offline: true, traceId })).toHaveLength(1);
  });

  it("summarizes traces newest first with root, counts, status and propagated ids", async () => {
    const older = newTraceId();
    const newer = newTraceId();
    const root = newSpanId();
    await ingest(ctx.backend, [
      { traceId: older, spanId: newSpanId(), name: "old-root", start: T0 - ms(1000) },
      {
        traceId: newer,
        spanId: root,
        name: "agent",
        start: T0 + ms(1e6),
        end: T0 + ms(1e6 + 30),
        attributes: { "judgment.span_kind": "agent" },
      },
      {
        traceId: newer,
        spanId: newSpanId(),
        parentSpanId: root,
        name: "tool",
        start: T0 + ms(1e6 + 5),
        end: T0 + ms(1e6 + 40),
        status: { code: 2 },
        attributes: { "judgment.session_id": "sess-1", "judgment.customer_id": "cust-1" },
      },
    ]);
    const list = ctx.backend.traces();
    expect(list.findIndex((t) => t.traceId === newer)).toBeLessThan(list.findIndex((t) => t.traceId === older));
    expect(ctx.backend.traces({ traceId: newer })[0]).toMatchObject({
      rootName: "agent",
      rootSpanId: root,
      rootSpanType: "agent",
      spanCount: 2,
      durationMs: 40,
      status: "error",
      sessionId: "sess-1",
      customerId: "cust-1",
      customerUserId: null,
      offline: false,
    });
  });

  it("accepts gzip bodies and counts accepted spans", async () => {
    const before = ctx.backend.counters;
    const traceId = newTraceId();
    const body = gzipSync(encodeSpans([{ traceId, spanId: newSpanId(), name: "zipped" }]));
    const reply = await post(ctx.backend, "/otel/v1/traces", body, { ...protobufHeaders(), "content-encoding": "gzip" });
    expect(reply.status).toBe(200);
    expect(ctx.backend.trace(traceId).map((s) => s.name)).toEqual(["zipped"]);
    expect(ctx.backend.counters.acceptedSpans).toBe(before.acceptedSpans + 1);
    expect(ctx.backend.counters.acceptedLiveSpans).toBe(before.acceptedLiveSpans + 1);
  });

  it("refuses malformed bodies with 400 and keeps serving", async () => {
    const bad = [
      Buffer.from("this is not protobuf"),
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      encodeSpans([{ traceId: "00", spanId: newSpanId(), name: "short trace id" }]),
      encodeSpans([{ traceId: "0".repeat(32), spanId: newSpanId(), name: "zero trace id" }]),
    ];
    for (const body of bad) {
      const reply = await post(ctx.backend, "/otel/v1/traces", body, protobufHeaders());
      expect(reply.status).toBe(400);
      expect(reply.json()).toEqual({ error: expect.any(String) });
    }
    const corruptGzip = await post(ctx.backend, "/otel/v1/traces", Buffer.from("nope"), {
      ...protobufHeaders(),
      "content-encoding": "gzip",
    });
    expect(corruptGzip.status).toBe(400);
    const ok = await ingest(ctx.backend, [{ traceId: newTraceId(), spanId: newSpanId(), name: "after" }]);
    expect(ok.status).toBe(200);
  });

  it("answers random bytes with a 4xx or 2xx, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        const reply = await post(ctx.backend, "/otel/v1/traces", bytes, protobufHeaders());
        return reply.status === 200 || reply.status === 400;
      }),
      { numRuns: 60 },
    );
    expect((await ingest(ctx.backend, [{ traceId: newTraceId(), spanId: newSpanId(), name: "alive" }])).status).toBe(200);
  });

  it("checks the project header and the content type", async () => {
    const body = encodeSpans([{ traceId: newTraceId(), spanId: newSpanId(), name: "x" }]);
    const noProject = await post(ctx.backend, "/otel/v1/traces", body, { "content-type": "application/x-protobuf" });
    expect(noProject.status).toBe(400);
    const unknown = await post(ctx.backend, "/otel/v1/traces", body, { ...protobufHeaders(), "x-project-id": "proj-nope" });
    expect(unknown.status).toBe(404);
    const json = await post(ctx.backend, "/otel/v1/traces", "{}", { ...protobufHeaders(), "content-type": "application/json" });
    expect(json.status).toBe(415);
  });

  it("refuses a declared body over 10 MB with 413 before reading it", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${ctx.backend.url}/otel/v1/traces`, {
        method: "POST",
        headers: { ...authHeaders(ctx.backend), ...protobufHeaders(), "content-length": String(TEN_MB + 1) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      // Send only the headers: the answer must not wait for the body.
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it("stops reading an undeclared (chunked) body once it passes 10 MB", async () => {
    const reply = await post(ctx.backend, "/otel/v1/traces", Buffer.alloc(TEN_MB + 1024), protobufHeaders()).catch((err: Error) => err);
    // fetch declares the length, so check the streaming path with a chunked request too.
    expect(reply).toMatchObject({ status: 413 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${ctx.backend.url}/otel/v1/traces`, {
        method: "POST",
        headers: { ...authHeaders(ctx.backend), ...protobufHeaders(), "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 12 && req.write(chunk)) sent++;
        if (sent < 12) req.once("drain", () => (sent++, pump()));
        else req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it("refuses a gzip body that inflates past 10 MB with 413", async () => {
    const bomb = gzipSync(Buffer.alloc(TEN_MB + 1));
    const reply = await post(ctx.backend, "/otel/v1/traces", bomb, { ...protobufHeaders(), "content-encoding": "gzip" });
    expect(reply.status).toBe(413);
  });
});
