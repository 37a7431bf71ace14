/**
 * Cost per span of encoding an OTLP export request: OpenTelemetry's protobuf serializer against
 * the package's span encoder (lib/pipeline/encode), on batches of 512 spans shaped like the
 * ones `@observe` and a 2 KB tool call produce. Rounds interleave the two; medians. Run:
 *   node -r ./bench/lib/ts-source.js bench/encode.bench.ts
 */
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { TraceRequestEncoder } from "../lib/pipeline/encode/trace-request.js";

const BATCH = 512;

function batch(attributes: (i: number) => Record<string, string | number>): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "telemetry.sdk.name": "judgeval",
      "telemetry.sdk.language": "nodejs",
      "telemetry.sdk.version": "0.1.0",
      "service.name": "bench",
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("judgeval");
  const root = tracer.startSpan("root");
  for (let i = 0; i < BATCH; i++) {
    const span = tracer.startSpan("add", { attributes: attributes(i) });
    span.end();
  }
  root.end();
  return exporter.getFinishedSpans().slice(0, BATCH);
}

const shapes: Record<string, ReadableSpan[]> = {
  "add(a, b) as @observe records it": batch((i) => ({
    "judgment.span_kind": "span",
    "judgment.input": `{"a":${i},"b":1}`,
    "judgment.output": String(i + 1),
    "judgment.update_id": 0,
  })),
  "2 KB tool call": batch((i) => ({
    "judgment.span_kind": "tool",
    "judgment.input": JSON.stringify({ query: "q".repeat(2000), i }),
    "judgment.output": "r".repeat(200),
    "judgment.update_id": 0,
  })),
  "bare: two numeric attributes": batch((i) => ({ "input.a": i, "input.b": 1 })),
};

const encoder = new TraceRequestEncoder();
const variants: Record<string, (spans: ReadableSpan[]) => Uint8Array> = {
  opentelemetry: (spans) => ProtobufTraceSerializer.serializeRequest(spans)!,
  ours: (spans) => encoder.encode(spans),
};

for (const [shape, spans] of Object.entries(shapes)) {
  const perSpan: Record<string, number[]> = { opentelemetry: [], ours: [] };
  const bytes: Record<string, number> = {};
  for (let round = 0; round < 12; round++) {
    for (const [name, encode] of Object.entries(variants)) {
      const reps = 200;
      const start = process.hrtime.bigint();
      for (let r = 0; r < reps; r++) bytes[name] = encode(spans).length;
      if (round >= 2) perSpan[name].push(Number(process.hrtime.bigint() - start) / reps / BATCH);
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const ratios = perSpan.ours.map((v, i) => v / perSpan.opentelemetry[i]).sort((a, b) => a - b);
  console.log(
    `${shape}: opentelemetry ${med(perSpan.opentelemetry).toFixed(0)} ns/span (${(bytes.opentelemetry / BATCH).toFixed(0)} B), ` +
      `ours ${med(perSpan.ours).toFixed(0)} ns/span (${(bytes.ours / BATCH).toFixed(0)} B) → ${med(ratios).toFixed(2)}× (rounds ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}×)`,
  );
}
