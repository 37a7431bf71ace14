import { request } from "node:http";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATABASE_FILE, LocalBackend } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { describeWithSqlite } from "../support/optional-deps.js";
import { ingest, newSpanId, newTraceId } from "../support/otlp-fixtures.js";

/** A GET with exactly the headers given (fetch would not let us set Host). */
function rawGet(
  backend: LocalBackend,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: backend.port, path, method: "GET", headers, setHost: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("judgeval dev hardening", () => {
  const ctx = useBackend();

  it("answers only loopback names and the bound address in Host, and refuses foreign Origins (DNS rebinding)", async () => {
    const traceId = newTraceId();
    await ingest(ctx.backend, [{ traceId, spanId: newSpanId(), name: "secret", attributes: { "judgment.input": "password" } }]);
    for (const host of [`127.0.0.1:${ctx.backend.port}`, `localhost:${ctx.backend.port}`, "[::1]", "app.localhost"]) {
      expect((await rawGet(ctx.backend, "/api/v1/traces", { host })).status).toBe(200);
    }
    for (const path of ["/api/v1/traces", `/api/traces/${traceId}`, "/", "/viewer.js"]) {
      const evil = await rawGet(ctx.backend, path, { host: "evil.example" });
      expect(evil.status).toBe(403);
      expect(evil.body).not.toContain("password");
      expect(JSON.parse(evil.body).error).toMatch(/Host "evil.example" is not allowed; allow it with --allow-host/);
    }
    // Node's HTTP server itself refuses an HTTP/1.1 request without Host.
    expect((await rawGet(ctx.backend, "/api/v1/traces", {})).status).toBe(400);
    const crossSite = await rawGet(ctx.backend, "/api/v1/traces", { host: "localhost", origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
    expect((await rawGet(ctx.backend, "/api/v1/traces", { host: "localhost", origin: "http://localhost:5173" })).status).toBe(200);
  });

  it("answers names the user allowed, and any with '*'", async () => {
    for (const [allowedHosts, host, status] of [
      [["devbox"], "devbox:4319", 200],
      [["devbox:4319"], "devbox:4319", 200],
      [["devbox"], "other", 403],
      [["*"], "anything.example", 200],
    ] as const) {
      const backend = await LocalBackend.start({ allowedHosts: [...allowedHosts] });
      try {
        expect([allowedHosts, (await rawGet(backend, "/api/v1/projects", { host })).status]).toEqual([allowedHosts, status]);
      } finally {
        await backend.close();
      }
    }
  });

  it("sends CSP, nosniff and frame protection on every response, errors included", async () => {
    for (const path of ["/", "/viewer.js", "/api/v1/traces", "/nope"]) {
      const res = await rawGet(ctx.backend, path, { host: "127.0.0.1" });
      expect(res.headers["content-security-policy"]).toMatch(/default-src 'none'; script-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
    }
  });

  it("keeps an attribute named __proto__ as data, not as the map's prototype", async () => {
    const traceId = newTraceId();
    await ingest(ctx.backend, [
      {
        traceId,
        spanId: newSpanId(),
        name: "proto",
        attributes: JSON.parse('{"__proto__": "x", "constructor": "y", "toString": "z"}') as Record<string, unknown>,
      },
    ]);
    const span = ctx.backend.trace(traceId)[0];
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(span.attributes, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(span.attributes, "__proto__")!.value).toBe("x");
    expect(span.attributes["constructor"]).toBe("y");
    const body = (await (await fetch(`${ctx.backend.url}/api/v1/traces/${traceId}/spans/${span.spanId}`)).json()) as { attributes: object };
    expect(Object.getOwnPropertyDescriptor(body.attributes, "__proto__")!.value).toBe("x");
  });
});

describeWithSqlite("judgeval dev data on disk", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = join(mkdtempSync(join(tmpdir(), "judgeval-perm-")), "data");
  });
  afterEach(() => rmSync(join(dataPath, ".."), { recursive: true, force: true }));

  it("creates the data directory 0700 and the database files 0600", async () => {
    const backend = await LocalBackend.start({ dataPath });
    try {
      await ingest(backend, [{ traceId: newTraceId(), spanId: newSpanId(), name: "s" }]);
      expect(backend.storageMode).toBe("sqlite-file");
      expect(statSync(dataPath).mode & 0o777).toBe(0o700);
      for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`])
        expect([file, statSync(join(dataPath, file)).mode & 0o777]).toEqual([file, 0o600]);
    } finally {
      await backend.close();
    }
  });
});
