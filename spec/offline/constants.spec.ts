import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { OfflineTracer, observe, type Example } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";

const ctx = useBackend();

describe("OfflineTracer as in the reference", () => {
  it("has the reference's class constants", () => {
    expect(OfflineTracer.OFFLINE_TRACES_PATH).toBe("otel/v1/offline-traces");
    expect(OfflineTracer.SUPPORTS_LIVE_INSTRUMENTATION).toBe(false);
    expect(OfflineTracer.TRACER_NAME).toBe("judgeval");
  });

  it("getSpanExporter is its offline exporter and getSpanProcessor appends Examples", async () => {
    const dataset: Example[] = [];
    const tracer = await OfflineTracer.create({ ...ctx.tracerConfig, projectName: `offline-${process.pid}`, dataset, setActive: false });
    // typed defined: no `!` or optional chaining needed
    const exporter = tracer.getSpanExporter();
    expect(typeof exporter.export).toBe("function");
    const run = tracer.run(() =>
      observe(function run() {
        return 1;
      })(),
    );
    expect(run).toBe(1);
    expect(dataset).toHaveLength(1);
    // the processor handed out is the one that appends: a completed root span given to it adds one
    const processor = tracer.getSpanProcessor();
    const root: ReadableSpan = {
      name: "handmade",
      kind: SpanKind.INTERNAL,
      spanContext: () => ({ traceId: "a".repeat(32), spanId: "b".repeat(16), traceFlags: 1 }),
      parentSpanContext: undefined,
      startTime: [1, 0],
      endTime: [1, 1],
      status: { code: SpanStatusCode.UNSET },
      attributes: {},
      links: [],
      events: [],
      duration: [0, 1],
      ended: true,
      resource: resourceFromAttributes({}),
      instrumentationScope: { name: "test" },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
    processor.onEnd(root);
    expect(dataset.map((e) => e.get("offline_trace_id"))).toContain("a".repeat(32));
    await tracer.shutdown();
  });
});
