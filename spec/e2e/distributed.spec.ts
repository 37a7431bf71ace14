import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { trace } from "@opentelemetry/api";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

describe("two services over real HTTP", () => {
  let serviceB: ChildProcess;
  let bUrl = "";

  beforeAll(async () => {
    serviceB = spawn(process.execPath, [resolve(__dirname, "../fixtures/service-b.cjs")], {
      env: {
        ...process.env,
        PROJECT: "two-services",
        URL: ctx.tracerConfig.apiUrl,
        KEY: ctx.tracerConfig.apiKey,
        ORG: ctx.tracerConfig.organizationId,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = (await once(serviceB.stdout!, "data")) as [Buffer];
    bUrl = `http://127.0.0.1:${/port=(\d+)/.exec(line.toString())![1]}`;
  });

  afterAll(async () => {
    serviceB.kill("SIGTERM");
    await once(serviceB, "exit");
  });

  it("B continues A's trace: one trace, B's spans under A's, carrying A's session id", async () => {
    const tracer = await projectTracer(ctx, { projectName: "two-services" });
    const callB = observe(
      async (topic: string) => {
        Tracer.setSessionId("session-from-a");
        const headers: Record<string, string> = { "content-type": "application/json" };
        propagation.inject(headers);
        const res = await fetch(bUrl, { method: "POST", headers, body: JSON.stringify({ topic }) });
        return ((await res.json()) as { answer: string }).answer;
      },
      { spanName: "a-call-b", spanType: "agent" },
    );
    expect(await callB("tides")).toBe("facts about tides");
    await tracer.forceFlush();
    const spans = await ctx.backend.waitForSpans((all) => all.filter((s) => s.projectId === tracer.projectId).length >= 4, {
      timeoutMs: 20000,
    });
    const mine = spans.filter((s) => s.projectId === tracer.projectId);
    const a = one(mine, "a-call-b");
    const handle = one(mine, "handle");
    expect(new Set(mine.map((s) => s.traceId))).toEqual(new Set([a.traceId]));
    expect(handle.parentSpanId).toBe(a.spanId);
    expect(one(mine, "b-inner").parentSpanId).toBe(handle.spanId);
    expect(one(mine, "lookup").parentSpanId).toBe(one(mine, "b-inner").spanId);
    for (const name of ["handle", "b-inner", "lookup"]) expect(one(mine, name).attributes["judgment.session_id"]).toBe("session-from-a");
    expect(io(handle).input).toEqual({ topic: "tides" });
  });
});

describe("OpenTelemetry ecosystem", () => {
  it("registerOTELInstrumentation: an outgoing fetch becomes a child span and carries traceparent", async () => {
    const tracer = await projectTracer(ctx);
    const seen: http.IncomingHttpHeaders[] = [];
    const target = http.createServer((req, res) => {
      seen.push(req.headers);
      res.end("ok");
    });
    target.listen(0, "127.0.0.1");
    await once(target, "listening");
    const instrumentation = new UndiciInstrumentation();
    Tracer.registerOTELInstrumentation(instrumentation);
    try {
      const fetchIt = observe(async () => (await fetch(`http://127.0.0.1:${(target.address() as AddressInfo).port}/x`)).text(), {
        spanName: "fetcher",
      });
      expect(await fetchIt()).toBe("ok");
    } finally {
      instrumentation.disable();
      target.closeAllConnections();
      await new Promise((done) => target.close(done));
    }
    const spans = await received(ctx, tracer);
    const fetcher = one(spans, "fetcher");
    const client = spans.find((s) => s.parentSpanId === fetcher.spanId)!;
    expect(client).toBeDefined();
    expect(client.kind).toBe("client");
    expect(seen[0].traceparent).toBe(`00-${fetcher.traceId}-${client.spanId}-01`);
  });

  it("registerGlobal installs the tracer for code that uses the OpenTelemetry API directly", async () => {
    const tracer = await projectTracer(ctx, { registerGlobal: true });
    trace.getTracer("some-library").startActiveSpan("library-span", (span) => span.end());
    one(await received(ctx, tracer), "library-span");
  });
});
