import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { SpanStatusCode } from "@opentelemetry/api";
import { useBackend } from "../support/backend.js";
import { post } from "./otlp-fixtures.js";

// The stock OpenTelemetry protobuf serializer (the one the OTLP/proto exporter
// uses) is the reference encoder: this checks our schema's field numbers against it.
// The exporter itself is not used because its transport loads `http` through a
// dynamic import(), which jest refuses without --experimental-vm-modules.
describe("LocalBackend with the OpenTelemetry OTLP/protobuf serializer", () => {
  const ctx = useBackend();

  it("stores what the serializer encodes", async () => {
    const { backend } = ctx;
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "otel", "telemetry.sdk.name": "judgeval" }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    const tracer = provider.getTracer("spec", "1.2.3");
    const parent = tracer.startSpan("parent", { attributes: { "judgment.span_kind": "agent", n: 7, list: [1, 2] } });
    parent.addEvent("note", { detail: "x" });
    parent.setStatus({ code: SpanStatusCode.ERROR, message: "bad" });
    const { traceId, spanId } = parent.spanContext();
    parent.end();
    const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
    const reply = await post(backend, "/otel/v1/traces", body, {
      "content-type": "application/x-protobuf",
      "x-project-id": backend.projectId("otel")!,
    });
    expect(reply.status).toBe(200);
    expect(ProtobufTraceSerializer.deserializeResponse(new Uint8Array(0))).toBeDefined();

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
    expect(span!.durationMs).toBeGreaterThanOrEqual(0);
    const req = backend.requests.find((r) => r.path === "/otel/v1/traces")!;
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(req.status).toBe(200);
    await provider.shutdown();
  });
});
