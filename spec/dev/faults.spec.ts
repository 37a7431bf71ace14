import { request } from "node:http";
import { useBackend } from "../support/backend.js";
import { authHeaders, encodeSpans, ingest, newSpanId, newTraceId, post } from "../support/otlp-fixtures.js";

const resolveBody = JSON.stringify({ project_name: "test-project" });

describe("LocalBackend fault injection and lifecycle", () => {
  const ctx = useBackend();
  afterEach(() => ctx.backend.clearFaults());

  it("answers the next N matching requests with the injected status and Retry-After", async () => {
    ctx.backend.injectFault({ route: "ingest", status: 429, times: 2, retryAfterSeconds: 3 });
    const traceId = newTraceId();
    const span = { traceId, spanId: newSpanId(), name: "retried" };
    const first = await ingest(ctx.backend, [span]);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    // Other routes are unaffected by an ingest fault.
    expect((await post(ctx.backend, "/v1/projects/resolve/", resolveBody)).status).toBe(200);
    expect((await ingest(ctx.backend, [span])).status).toBe(429);
    expect(ctx.backend.trace(traceId)).toEqual([]);
    expect((await ingest(ctx.backend, [span])).status).toBe(200);
    expect(ctx.backend.trace(traceId)).toHaveLength(1);
  });

  it("defaults to one 503 on any WIRE route, and clearFaults drops pending faults", async () => {
    ctx.backend.injectFault();
    const reply = await post(ctx.backend, "/v1/projects/resolve/", resolveBody);
    expect(reply.status).toBe(503);
    expect(reply.headers.get("retry-after")).toBeNull();
    ctx.backend.injectFault({ route: "tags", status: 500, times: Infinity });
    ctx.backend.clearFaults();
    const tagPath = `/v1/projects/${ctx.backend.projectId("test-project")}/traces/${newTraceId()}/tags`;
    expect((await post(ctx.backend, tagPath, JSON.stringify({ tags: ["t"] }))).status).toBe(200);
  });

  it("hangs a request until stop(), keeps data across stop()/restart() on the same port", async () => {
    const traceId = newTraceId();
    await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "before" }]);
    ctx.backend.injectFault({ route: "ingest", hang: true });
    const port = ctx.backend.port;
    const hung = new Promise<string>((resolve) => {
      const req = request(`${ctx.backend.url}/otel/v1/traces`, {
        method: "POST",
        headers: {
          ...authHeaders(ctx.backend),
          "content-type": "application/x-protobuf",
          "x-project-id": ctx.backend.projectId("test-project")!,
        },
      });
      req.on("response", () => resolve("answered"));
      req.on("error", () => resolve("dropped"));
      req.end(encodeSpans([{ traceId, spanId: newSpanId(), name: "never" }]));
    });
    await ctx.backend.waitForRequests((reqs) => reqs.some((r) => r.path === "/otel/v1/traces" && r.status === 0));
    await ctx.backend.stop();
    expect(await hung).toBe("dropped");
    expect(ctx.backend.listening).toBe(false);
    await expect(fetch(`${ctx.backend.url}/v1/projects/resolve/`, { method: "POST" })).rejects.toThrow();

    await ctx.backend.restart();
    expect(ctx.backend.port).toBe(port);
    expect(ctx.backend.trace(traceId).map((s) => s.name)).toEqual(["before"]);
    expect((await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "after" }])).status).toBe(200);
    expect(ctx.backend.trace(traceId)).toHaveLength(2);
  });

  it("waitForSpans resolves on ingest and rejects on timeout with what it saw", async () => {
    const traceId = newTraceId();
    const waiting = ctx.backend.waitForSpans((spans) => spans.some((s) => s.name === "awaited"), { traceId });
    await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "other" }]);
    await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "awaited" }]);
    expect((await waiting).map((s) => s.name).sort()).toEqual(["awaited", "other"]);
    await expect(ctx.backend.waitForSpans(3, { traceId, timeoutMs: 50 })).rejects.toThrow(/3 spans; stored: .*awaited/);
  });
});
