import { context, trace, SpanKind, SpanStatusCode, TraceFlags, type Attributes, type Link } from "@opentelemetry/api";
import { TraceState } from "@opentelemetry/core";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import fc from "fast-check";
import { TraceRequestEncoder } from "../../lib/pipeline/encode/trace-request.js";
import { capString } from "../../lib/serialize/index.js";
import { decodeTraceRequest } from "../support/otlpTraceSchema.js";

/** Spans ended on a provider of their own: resource and span limits per provider. */
function recorder(
  options: {
    resource?: Attributes;
    schemaUrl?: string;
    limits?: { attributeCountLimit?: number; eventCountLimit?: number; linkCountLimit?: number };
  } = {},
) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(options.resource ?? { "service.name": "encode-spec" }, { schemaUrl: options.schemaUrl }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    spanLimits: options.limits,
  });
  return { provider, spans: (): ReadableSpan[] => exporter.getFinishedSpans() };
}

/** What OpenTelemetry's serializer and ours write for `spans`, each decoded by the spec's own schema. */
function bothDecoded(spans: ReadableSpan[], encoder = new TraceRequestEncoder()) {
  const stock = ProtobufTraceSerializer.serializeRequest(spans)!;
  const ours = encoder.encode(spans);
  return { stock: decodeTraceRequest(stock), ours: decodeTraceRequest(ours), stockBytes: stock.length, ourBytes: ours.length };
}

const remoteParent = {
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState("vendor=one,other=two"),
};

const LONG_ASCII = "x".repeat(20_000);
const LONG_UNICODE = "😀é漢".repeat(3_000);

/** Every value type, unicode and the lengths around each varint boundary of the length prefix. */
const VALUES: Attributes = {
  "s.empty": "",
  "s.ascii": "hello",
  "s.unicode": "héllo wörld — 漢字 😀",
  "s.lone-surrogates": "a\ud800b\udc00c",
  "s.emoji-at-63": "x".repeat(62) + "😀",
  "s.63": "y".repeat(63),
  "s.64": "y".repeat(64),
  "s.127": "z".repeat(127),
  "s.128": "z".repeat(128),
  "s.125-unicode": "é".repeat(63),
  "s.long": LONG_ASCII,
  "s.long-unicode": LONG_UNICODE,
  "s.capped": capString(LONG_ASCII, 1000),
  "s.capped-unicode": capString(LONG_UNICODE, 1001),
  "b.true": true,
  "b.false": false,
  "i.zero": 0,
  "i.small": 42,
  "i.negative": -1,
  "i.uint32-max": 0xffffffff,
  "i.above-uint32": 0x100000000,
  "i.safe-max": Number.MAX_SAFE_INTEGER,
  "i.2^62": 2 ** 62,
  "i.min-int64": -(2 ** 63),
  "i.negative-large": -(2 ** 40) - 7,
  "d.half": 1.5,
  "d.negative": -0.25,
  "d.2^63": 2 ** 63,
  "d.max": Number.MAX_VALUE,
  "d.tiny": Number.MIN_VALUE,
  "d.nan": NaN,
  "d.infinity": Infinity,
  "d.-infinity": -Infinity,
  "a.strings": ["a", "", "漢字", "z".repeat(200)],
  "a.numbers": [1, -2, 3.5, 2 ** 53],
  "a.booleans": [true, false],
  "a.empty": [],
  "a.with-holes": ["a", null, undefined, "b"],
  "ключ-юникод": "value under a unicode key",
  "": "empty key",
};

describe("span-to-OTLP encoder", () => {
  it("decodes field by field like OpenTelemetry's serializer across events, links, status, every value type and unicode", () => {
    const { provider, spans } = recorder({
      resource: { "service.name": "encode-spec", "telemetry.sdk.language": "nodejs", n: 3, list: ["a", "b"] },
      schemaUrl: "https://opentelemetry.io/schemas/1.24.0",
    });
    const tracer = provider.getTracer("scope-a", "1.2.3", { schemaUrl: "https://example.com/scope-schema" });
    const parentCtx = trace.setSpanContext(context.active(), remoteParent);
    const links: Link[] = [
      { context: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: TraceFlags.SAMPLED } },
      { context: { ...remoteParent }, attributes: { "link.reason": "retry of", n: 2 } },
      {
        context: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b8", traceFlags: TraceFlags.NONE, isRemote: false },
        attributes: {},
      },
    ];
    const root = tracer.startSpan(
      "root — unicode name 😀",
      { kind: SpanKind.SERVER, links, startTime: [1_704_067_200, 123_456_789] },
      parentCtx,
    );
    root.setAttributes(VALUES);
    root.addEvent("plain");
    root.addEvent("with attributes", { "e.s": "x".repeat(300), "e.n": 7, "e.a": ["é"] }, [1_704_067_201, 5]);
    root.addEvent("", {});
    root.recordException(new Error("boom — ünïcödé"));
    root.setStatus({ code: SpanStatusCode.ERROR, message: "failed: " + "m".repeat(150) });
    for (const kind of [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
      const child = tracer.startSpan(`kind ${kind}`, { kind }, trace.setSpan(context.active(), root));
      child.setStatus({ code: SpanStatusCode.OK });
      child.end();
    }
    tracer.startSpan("", {}, context.active()).end([1_704_067_210, 0]);
    tracer.startSpan("epoch", { startTime: [0, 0] }).end([0, 1]);
    tracer.startSpan("far future", { startTime: [9_999_999_999, 999_999_999] }).end([9_999_999_999, 999_999_999]);
    root.end([1_704_067_202, 999_999_999]);

    const all = spans();
    expect(all).toHaveLength(8);
    const { stock, ours, stockBytes, ourBytes } = bothDecoded(all);
    expect(ours).toEqual(stock);
    // Default-valued fields are left out, so ours is never larger.
    expect(ourBytes).toBeLessThanOrEqual(stockBytes);
  });

  it("decodes like OpenTelemetry's serializer for values set on the attributes object directly (bytes, maps, nested lists)", () => {
    const { provider, spans } = recorder();
    const span = provider.getTracer("t").startSpan("direct");
    span.end();
    const [ended] = spans();
    // Processors rewrite ended spans' attributes in place; OTLP AnyValue allows these types there.
    Object.assign(ended.attributes as Record<string, unknown>, {
      bytes: new Uint8Array([0, 1, 2, 255]),
      emptyBytes: new Uint8Array(0),
      map: { a: 1, b: "two", nested: { c: [true, { d: null }] }, big: "q".repeat(500) },
      emptyMap: {},
      nested: [[1, 2], ["x", ["y"]], []],
      missing: null,
      notSet: undefined,
    });
    const { stock, ours } = bothDecoded([ended]);
    expect(ours).toEqual(stock);
  });

  it("groups spans by resource then scope in order of first appearance, like OpenTelemetry's serializer", () => {
    const a = recorder({ resource: { "service.name": "a" } });
    const b = recorder({ resource: { "service.name": "b" }, schemaUrl: "https://opentelemetry.io/schemas/1.21.0" });
    const a1 = a.provider.getTracer("one");
    const a2 = a.provider.getTracer("two", "2.0.0");
    const b1 = b.provider.getTracer("one");
    a1.startSpan("a1-first").end();
    b1.startSpan("b1-first").end();
    a2.startSpan("a2-first").end();
    a1.startSpan("a1-second").end();
    b1.startSpan("b1-second").end();
    const [a1First, a2First, a1Second] = a.spans();
    const [b1First, b1Second] = b.spans();
    const mixed = [a1First, b1First, a2First, a1Second, b1Second];
    const { stock, ours } = bothDecoded(mixed);
    expect(ours).toEqual(stock);
    // The encoder keeps resource and scope bytes between requests: a second request is the same.
    const encoder = new TraceRequestEncoder();
    encoder.encode(mixed);
    expect(bothDecoded(mixed, encoder).ours).toEqual(stock);
  });

  it("counts what span limits dropped, like OpenTelemetry's serializer", () => {
    const { provider, spans } = recorder({ limits: { attributeCountLimit: 2, eventCountLimit: 1, linkCountLimit: 1 } });
    const link = (n: number): Link => ({
      context: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: `00f067aa0ba902b${n}`, traceFlags: TraceFlags.SAMPLED },
    });
    const span = provider.getTracer("t").startSpan("limited", { links: [link(1), link(2), link(3)] });
    span.setAttributes({ a: 1, b: 2, c: 3, d: 4 });
    span.addEvent("one", { a: 1, b: 2, c: 3 });
    span.addEvent("two");
    span.end();
    const [ended] = spans();
    expect(ended.droppedAttributesCount).toBeGreaterThan(0);
    expect(ended.droppedEventsCount).toBeGreaterThan(0);
    expect(ended.droppedLinksCount).toBeGreaterThan(0);
    const { stock, ours } = bothDecoded([ended]);
    expect(ours).toEqual(stock);
  });

  it("writes keys it has seen before as it wrote them the first time, many distinct ones and long ones included", () => {
    const { provider, spans } = recorder({ limits: { attributeCountLimit: 4096 } });
    const tracer = provider.getTracer("t");
    const keys = [...Array.from({ length: 1500 }, (_, i) => `key.${i}`), "k".repeat(129), "ключ.😀", "a\ud800b"];
    for (let round = 0; round < 2; round++) {
      const span = tracer.startSpan(`round-${round}`);
      for (const key of keys) span.setAttribute(key, round);
      span.end();
    }
    const ended = spans();
    const encoder = new TraceRequestEncoder();
    const first = bothDecoded(ended, encoder);
    expect(first.ours).toEqual(first.stock);
    // the second request finds every key already encoded (or cleared and encoded again)
    const second = bothDecoded(ended, encoder);
    expect(second.ours).toEqual(first.stock);
  });

  it("leaves each request's bytes as they were while the encoder writes the next, large and small ones alike", () => {
    const { provider, spans } = recorder();
    const tracer = provider.getTracer("t");
    for (let i = 0; i < 10; i++)
      tracer.startSpan(`large-${i}`, { attributes: { "judgment.input": i < 5 ? LONG_ASCII : "y".repeat(LONG_ASCII.length), i } }).end();
    const ended = spans();
    // two batches of the same size, so the encoder writes the second where it wrote the first
    const [a, b, small] = [ended.slice(0, 5), ended.slice(5), ended.slice(0, 1)];
    const encoder = new TraceRequestEncoder();
    const requests = [a, b, small, a].map((batch) => {
      const bytes = encoder.encode(batch);
      return { batch, bytes, copy: Uint8Array.from(bytes) };
    });
    for (const batch of [b, small, a, b]) encoder.encode(batch);
    for (const { batch, bytes, copy } of requests) {
      expect(Buffer.compare(bytes, copy)).toBe(0);
      expect(decodeTraceRequest(bytes)).toEqual(decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(batch)!));
    }
    expect(requests[0].bytes.length).toBeGreaterThan(64 * 1024);
  });

  it("writes an empty request for no spans, as OpenTelemetry's serializer does", () => {
    expect(decodeTraceRequest(new TraceRequestEncoder().encode([]))).toEqual(
      decodeTraceRequest(ProtobufTraceSerializer.serializeRequest([])!),
    );
  });

  it("agrees with OpenTelemetry's serializer on arbitrary attribute values, names and times", () => {
    const scalar = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 80 }),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.maxSafeInteger(),
    );
    const value = fc.oneof(
      scalar,
      fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.constant(null)), { maxLength: 5 }),
      fc.array(fc.double(), { maxLength: 5 }),
    );
    const encoder = new TraceRequestEncoder();
    const { provider, spans } = recorder();
    const tracer = provider.getTracer("property");
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.dictionary(fc.string({ unit: "binary", maxLength: 30 }), value, { maxKeys: 12 }),
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (name, attributes, seconds, nanos) => {
          const span = tracer.startSpan(name, { attributes, startTime: [seconds, nanos] });
          span.addEvent(name, attributes);
          span.end([seconds + 1, nanos]);
          const all = spans();
          const { stock, ours } = bothDecoded([all[all.length - 1]], encoder);
          expect(ours).toEqual(stock);
        },
      ),
      { numRuns: 300 },
    );
  });
});
