import { connect } from "node:net";
import { LocalBackend } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { encodeSpans, ingest, newSpanId, newTraceId, post } from "../support/otlp-fixtures.js";

describe("LocalBackend routes", () => {
  const ctx = useBackend();

  describe("project resolve", () => {
    it("gives a stable id per name, created on first use", async () => {
      const first = await post(ctx.backend, "/v1/projects/resolve/", JSON.stringify({ project_name: "alpha" }));
      const again = await post(ctx.backend, "/v1/projects/resolve/", JSON.stringify({ project_name: "alpha" }));
      const other = await post(ctx.backend, "/v1/projects/resolve/", JSON.stringify({ project_name: "beta" }));
      expect(first.status).toBe(200);
      expect(first.headers.get("content-type")).toMatch(/application\/json/);
      const id = (first.json() as { project_id: string }).project_id;
      expect(id).toMatch(/^proj-/);
      expect(again.json()).toEqual(first.json());
      expect((other.json() as { project_id: string }).project_id).not.toBe(id);
      expect(ctx.backend.projectId("alpha")).toBe(id);
    });

    it("refuses a body without project_name or not JSON", async () => {
      expect((await post(ctx.backend, "/v1/projects/resolve/", "{}")).status).toBe(400);
      expect((await post(ctx.backend, "/v1/projects/resolve/", "not json")).status).toBe(400);
      expect((await post(ctx.backend, "/v1/projects/resolve/", "[1]")).status).toBe(400);
    });

    it("resolves only the listed names when given a project list", async () => {
      const fixed = await LocalBackend.start({ projects: ["known"] });
      try {
        const ok = await post(fixed, "/v1/projects/resolve/", JSON.stringify({ project_name: "known" }));
        const missing = await post(fixed, "/v1/projects/resolve/", JSON.stringify({ project_name: "other" }));
        expect(ok.status).toBe(200);
        expect(missing.status).toBe(404);
        expect(missing.json()).toEqual({ error: expect.stringContaining("other") });
        expect(fixed.projectId("other")).toBeUndefined();
      } finally {
        await fixed.close();
      }
    });
  });

  describe("credentials", () => {
    const routes = (): [string, string][] => [
      ["/v1/projects/resolve/", JSON.stringify({ project_name: "p" })],
      ["/otel/v1/traces", ""],
      ["/otel/v1/offline-traces", ""],
      [`/v1/projects/${ctx.backend.projectId("p")}/traces/${newTraceId()}/tags`, JSON.stringify({ tags: ["x"] })],
    ];

    it("answers 401 without the bearer key or with a wrong one", async () => {
      for (const [path, body] of routes()) {
        expect((await post(ctx.backend, path, body, { authorization: "" })).status).toBe(401);
        expect((await post(ctx.backend, path, body, { authorization: "Bearer nope" })).status).toBe(401);
        expect((await post(ctx.backend, path, body, { authorization: ctx.backend.apiKey })).status).toBe(401);
      }
    });

    it("answers 403 with a wrong or missing organization", async () => {
      for (const [path, body] of routes()) {
        expect((await post(ctx.backend, path, body, { "x-organization-id": "someone-else" })).status).toBe(403);
        expect((await post(ctx.backend, path, body, { "x-organization-id": "" })).status).toBe(403);
      }
    });

    it("uses the configured key and organization", async () => {
      const custom = await LocalBackend.start({ apiKey: "k-123", organizationId: "org-9" });
      try {
        const ok = await post(custom, "/v1/projects/resolve/", JSON.stringify({ project_name: "p" }));
        expect(ok.status).toBe(200);
        const req = custom.requests.at(-1)!;
        expect(req.headers["authorization"]).toBe("Bearer k-123");
        expect(req.headers["x-organization-id"]).toBe("org-9");
      } finally {
        await custom.close();
      }
    });
  });

  it("answers unknown routes with 404 and wrong methods with 405, in JSON", async () => {
    const missing = await post(ctx.backend, "/v2/nothing", "");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: expect.any(String) });
    const wrong = await post(ctx.backend, "/otel/v1/traces", "", {}, "GET");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(wrong.json()).toEqual({ error: expect.any(String) });
  });

  it("answers garbage on the socket with 400 and keeps serving", async () => {
    const raw = (text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(ctx.backend.port, "127.0.0.1", () => socket.end(text));
        let reply = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => (reply += chunk));
        socket.on("close", () => resolve(reply.split("\r\n")[0]));
        socket.on("error", reject);
      });
    expect(await raw("HELLO\r\n\r\n")).toBe("HTTP/1.1 400 Bad Request");
    expect(await raw("GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toBe("HTTP/1.1 400 Bad Request");
    expect((await post(ctx.backend, "/v1/projects/resolve/", JSON.stringify({ project_name: "still-up" }))).status).toBe(200);
  });

  describe("tags", () => {
    it("stores the union of tags per trace", async () => {
      const traceId = newTraceId();
      const path = `/v1/projects/${ctx.backend.projectId("test-project")}/traces/${traceId}/tags`;
      expect((await post(ctx.backend, path, JSON.stringify({ tags: ["a", "b"] }))).status).toBe(200);
      const second = await post(ctx.backend, path, JSON.stringify({ tags: ["b", "c"] }));
      expect(second.json()).toEqual({ trace_id: traceId, tags: ["a", "b", "c"] });
      expect(ctx.backend.tags(traceId)).toEqual(["a", "b", "c"]);
      expect(ctx.backend.tags(traceId.toUpperCase())).toEqual(["a", "b", "c"]);
    });

    it("shows tags in the trace summary", async () => {
      const traceId = newTraceId();
      await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "tagged" }]);
      await post(
        ctx.backend,
        `/v1/projects/${ctx.backend.projectId("test-project")}/traces/${traceId}/tags`,
        JSON.stringify({ tags: ["gold"] }),
      );
      expect(ctx.backend.traces({ traceId })[0].tags).toEqual(["gold"]);
    });

    it("refuses bad bodies, bad trace ids and unknown projects", async () => {
      const project = ctx.backend.projectId("test-project");
      const good = `/v1/projects/${project}/traces/${newTraceId()}/tags`;
      expect((await post(ctx.backend, good, JSON.stringify({ tags: "a" }))).status).toBe(400);
      expect((await post(ctx.backend, good, JSON.stringify({ tags: [1] }))).status).toBe(400);
      expect((await post(ctx.backend, good, "{")).status).toBe(400);
      expect((await post(ctx.backend, `/v1/projects/${project}/traces/xyz/tags`, JSON.stringify({ tags: [] }))).status).toBe(400);
      expect((await post(ctx.backend, `/v1/projects/nope/traces/${newTraceId()}/tags`, JSON.stringify({ tags: [] }))).status).toBe(404);
    });
  });

  it("logs every request with headers, status and body size", async () => {
    const body = encodeSpans([{ traceId: newTraceId(), spanId: newSpanId(), name: "logged" }]);
    await ingest(ctx.backend, [{ traceId: newTraceId(), spanId: newSpanId(), name: "logged" }], { headers: { "x-extra": "1" } });
    const last = ctx.backend.requests.at(-1)!;
    expect(last).toMatchObject({ method: "POST", path: "/otel/v1/traces", status: 200, bodyBytes: body.length });
    expect(last.headers["x-extra"]).toBe("1");
    expect(last.headers["content-type"]).toBe("application/x-protobuf");
  });
});
