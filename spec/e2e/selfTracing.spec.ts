import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { useBackend } from "../support/backend.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const ctx = useBackend();

describe("the SDK never traces itself", () => {
  it("with the http and undici instrumentations registered, its own requests make no spans and carry no traceparent", async () => {
    const projectName = `self-${process.pid}`;
    const env = { ...process.env, PROJECT: projectName, URL: ctx.tracerConfig.apiUrl, KEY: ctx.tracerConfig.apiKey, ORG: ctx.tracerConfig.organizationId };
    const { stdout } = await run(process.execPath, [join(root, "spec/fixtures/self-trace-run.cjs")], { env, timeout: 20000 });
    const out = JSON.parse(stdout) as { answer: string; flushed: boolean };
    // the app's own request is traced: the instrumentations are live
    expect(out).toMatchObject({ answer: "traced", flushed: true });

    const spans = ctx.backend.spans({ projectId: ctx.backend.projectId(projectName) });
    const clients = spans.filter((s) => s.kind === "client");
    expect(clients.length).toBeGreaterThan(0);
    const backendPort = new URL(ctx.backend.url).port;
    for (const span of clients) expect(JSON.stringify(span.attributes)).not.toContain(`:${backendPort}`);
    expect(clients.some((s) => JSON.stringify(s.attributes).includes("/user-call"))).toBe(true);

    const sdkRequests = ctx.backend.requests.filter((r) => r.method === "POST");
    expect(sdkRequests.map((r) => r.path)).toEqual(expect.arrayContaining(["/otel/v1/traces"]));
    for (const request of sdkRequests) expect(request.headers.traceparent).toBeUndefined();
  });
});
