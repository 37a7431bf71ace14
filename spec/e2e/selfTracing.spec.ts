import { join, resolve } from "node:path";
import { useBackend } from "../support/backend.js";
import { runNode } from "../support/node-process.js";

const root = resolve(__dirname, "../..");
const ctx = useBackend();

describe("the SDK never traces itself", () => {
  it("with the http and undici instrumentations registered, its own requests make no spans and carry no traceparent", async () => {
    const projectName = `self-${process.pid}`;
    const stdout = await runNode(ctx, projectName, [join(root, "spec/fixtures/self-trace-run.cjs")], 20000);
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
