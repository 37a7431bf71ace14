import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const valid = `00-${TRACE}-${SPAN}-01`;

const malformed: Array<[string, unknown]> = [
  ["empty object", {}],
  ["null", null],
  ["undefined", undefined],
  ["a string", "traceparent"],
  ["a number", 42],
  ["version ff", { traceparent: `ff-${TRACE}-${SPAN}-01` }],
  ["version not hex", { traceparent: `zz-${TRACE}-${SPAN}-01` }],
  ["all-zero trace id", { traceparent: `00-${"0".repeat(32)}-${SPAN}-01` }],
  ["all-zero span id", { traceparent: `00-${TRACE}-${"0".repeat(16)}-01` }],
  ["short trace id", { traceparent: `00-${TRACE.slice(2)}-${SPAN}-01` }],
  ["long span id", { traceparent: `00-${TRACE}-${SPAN}00-01` }],
  ["upper-case ids", { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` }],
  ["missing flags", { traceparent: `00-${TRACE}-${SPAN}` }],
  ["garbage", { traceparent: "not-a-traceparent" }],
  ["header array of two", { traceparent: [valid, valid] }],
  ["number value", { traceparent: 1234 }],
  ["object value", { traceparent: { toString: () => valid } }],
  [
    "throwing getter",
    Object.defineProperty({}, "traceparent", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    }),
  ],
  [
    "throwing Headers.get",
    {
      get: () => {
        throw new Error("boom");
      },
    },
  ],
  [
    "Proxy throwing on every trap",
    new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
        ownKeys: () => {
          throw new Error("trap");
        },
        has: () => {
          throw new Error("trap");
        },
        getOwnPropertyDescriptor: () => {
          throw new Error("trap");
        },
      },
    ),
  ],
  ["garbled baggage only", { baggage: "%%%;;;==,,," }],
  ["oversized baggage only", { baggage: `k=${"v".repeat(9000)}` }],
  ["baggage with bad traceparent", { traceparent: "00-xyz", baggage: "judgment.session_id=s" }],
];

describe("continueTrace with a malformed or empty carrier", () => {
  it.each(malformed)("%s: never throws and starts a fresh trace", async (_label, carrier) => {
    const tracer = await projectTracer(ctx);
    let outerTrace = "";
    Tracer.span("outer", (outer) => {
      outerTrace = outer.spanContext().traceId;
      expect(() => Tracer.continueTrace(carrier as never, () => Tracer.span("handler", () => undefined))).not.toThrow();
      expect(() => propagation.extract(carrier as never)).not.toThrow();
    });
    const handler = one(await received(ctx, tracer), "handler");
    expect(handler.parentSpanId).toBeNull();
    expect(handler.traceId).not.toBe(outerTrace);
    expect(handler.traceId).not.toBe(TRACE);
  });

  it("ignores oversized baggage but keeps valid baggage", async () => {
    const tracer = await projectTracer(ctx, { propagatingKeys: ["tenant"] });
    Tracer.continueTrace({ traceparent: valid, baggage: `k=${"v".repeat(9000)}` }, () => Tracer.span("big", () => undefined));
    Tracer.continueTrace({ traceparent: valid, baggage: "tenant=acme,judgment.session_id=s-9" }, () =>
      Tracer.span("small", () => undefined),
    );
    const spans = await received(ctx, tracer);
    expect(one(spans, "big").attributes.k).toBeUndefined();
    expect(one(spans, "small").attributes).toMatchObject({ tenant: "acme", "judgment.session_id": "s-9" });
  });
});

describe("continueTrace with a valid carrier", () => {
  const carriers: Array<[string, unknown]> = [
    ["Node IncomingHttpHeaders", { traceparent: valid, host: "x" }],
    ["plain object, mixed case", { TraceParent: valid }],
    ["fetch Headers", new Headers({ Traceparent: valid })],
    ["Map", new Map([["traceparent", valid]])],
    ["single-element header array", { traceparent: [valid] }],
  ];
  it.each(carriers)("%s: spans inside are children of the upstream span", async (_label, carrier) => {
    const tracer = await projectTracer(ctx);
    const handle = observe(() => Tracer.span("inner", () => "ok"), { spanName: "handle" });
    expect(Tracer.continueTrace(carrier as never, () => handle())).toBe("ok");
    const spans = await received(ctx, tracer);
    const h = one(spans, "handle");
    expect(h).toMatchObject({ traceId: TRACE, parentSpanId: SPAN });
    expect(one(spans, "inner").parentSpanId).toBe(h.spanId);
  });

  it("inject writes traceparent and the propagated attributes as baggage", async () => {
    await projectTracer(ctx);
    const headers: Record<string, string> = {};
    const fetchHeaders = new Headers();
    Tracer.span("client", (span) => {
      Tracer.setSessionId("sess-1");
      Tracer.setCustomerId("cust-1");
      Tracer.setPropagatingAttribute("tenant", "acme");
      propagation.inject(headers);
      propagation.inject(fetchHeaders);
      expect(headers.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    });
    expect(fetchHeaders.get("traceparent")).toBe(headers.traceparent);
    const baggage = Object.fromEntries(headers.baggage.split(",").map((kv) => kv.split("=").map(decodeURIComponent)));
    expect(baggage).toEqual({ "judgment.session_id": "sess-1", "judgment.customer_id": "cust-1", tenant: "acme" });
    expect(() => propagation.inject(Object.freeze({}) as never)).not.toThrow();
    expect(() => propagation.inject(null as never)).not.toThrow();
  });
});
