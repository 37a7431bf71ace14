import { diag, DiagLogLevel, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { TracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { useBackend } from "../support/backend.js";

// The stock OpenTelemetry OTLP/protobuf exporter is the reference encoder: this
// checks our schema's field numbers, and our success response, against it.
describe("LocalBackend with the OpenTelemetry OTLP/protobuf exporter", () => {
  const ctx = useBackend();
  const warnings: string[] = [];
  beforeAll(() => {
    const record = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
    diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  });
  afterAll(() => diag.disable());

  it("stores what the exporter sends, and the exporter accepts the answer", async () => {
    const { backend } = ctx;
    const exporter = new OTLPTraceExporter({
      url: `${backend.url}/otel/v1/traces`,
      headers: {
        Authorization: `Bearer ${backend.apiKey}`,
        "X-Organization-Id": backend.organizationId,
        "X-Project-Id": backend.projectId("otel")!,
      },
    });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": "otel", "telemetry.sdk.name": "judgeval" }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: exporter })],
    });
    const tracer = provider.getTracer("spec", "1.2.3");
    const parent = tracer.startSpan("parent", { attributes: { "judgment.span_kind": "agent", n: 7, list: [1, 2] } });
    parent.addEvent("note", { detail: "x" });
    parent.setStatus({ code: SpanStatusCode.ERROR, message: "bad" });
    const { traceId, spanId } = parent.spanContext();
    parent.end();
    await provider.forceFlush();

    const [span] = await backend.waitForSpans(1, { traceId });
    expect(span).toMatchObject({
      traceId,
      spanId,
      name: "parent",
      kind: "internal",
      spanType: "agent",
      attributes: { n: 7, list: [1, 2] },
      status: { code: "error", message: "bad" },
      events: [{ name: "note", attributes: { detail: "x" } }],
      resource: { "service.name": "otel", "telemetry.sdk.name": "judgeval" },
      scope: { name: "spec", version: "1.2.3" },
      ended: true,
    });
    expect(span.durationMs).toBeGreaterThanOrEqual(0);
    const req = backend.requests.find((r) => r.path === "/otel/v1/traces")!;
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(req.status).toBe(200);
    await provider.shutdown();
    expect(warnings).toEqual([]);
  });
});
