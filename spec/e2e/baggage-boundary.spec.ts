import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { StoredSpan } from "../../lib/dev/index.js";
import { Tracer, observe, propagation } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

/** Every span attribute key of docs/wire.md: none may come in through baggage but the three identity keys. */
const RESERVED = [
  "judgment.span_kind",
  "judgment.input",
  "judgment.output",
  "judgment.update_id",
  "judgment.pending_trace_eval",
  "judgment.llm.provider",
  "judgment.llm.model",
  "judgment.usage.non_cached_input_tokens",
  "judgment.usage.cache_read_input_tokens",
  "judgment.usage.cache_creation_input_tokens",
  "judgment.usage.output_tokens",
  "judgment.usage.total_cost_usd",
  "judgment.link.source_trace_id",
  "judgment.link.source_span_id",
  "judgment.link.target_trace_id",
  "judgment.link.target_span_id",
  "judgment.offline",
  "judgment.anything_new",
];

const UPSTREAM = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/** A real app: one route continuing the caller's trace, calling a downstream service with injected headers. */
async function startApp(options: { ignoreBaggage?: boolean } = {}) {
  const forwarded: http.IncomingHttpHeaders[] = [];
  const downstream = http.createServer((req, res) => {
    forwarded.push(req.headers);
    res.end("ok");
  });
  downstream.listen(0, "127.0.0.1");
  await once(downstream, "listening");
  const downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/`;

  const handle = observe(
    async (path: string) => {
      Tracer.setCustomerId("set-by-the-app");
      await Tracer.span("child", async () => {
        const headers: Record<string, string> = {};
        propagation.inject(headers);
        await (await fetch(downstreamUrl, { headers })).text();
      });
      return `handled ${path}`;
    },
    { spanName: "handle", spanType: "agent" },
  );
  const app = http.createServer((req, res) => {
    const run = () => handle(req.url ?? "/");
    const done = options.ignoreBaggage
      ? Tracer.continueTrace(req.headers, { ignoreBaggage: true }, run)
      : Tracer.continueTrace(req.headers, run);
    void done.then((body) => res.end(body));
  });
  app.listen(0, "127.0.0.1");
  await once(app, "listening");
  const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  return {
    forwarded,
    /** The hostile client: any headers it likes. */
    request: async (path: string, headers: Record<string, string>) => (await fetch(url + path, { headers })).text(),
    close: async () => {
      for (const server of [app, downstream]) {
        server.closeAllConnections();
        await new Promise((done) => server.close(done));
      }
    },
  };
}

function baggageOf(headers: http.IncomingHttpHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const member of String(headers.baggage ?? "").split(",")) {
    const [key, value] = member.split(";")[0].split("=");
    if (key) out.set(decodeURIComponent(key.trim()), decodeURIComponent((value ?? "").trim()));
  }
  return out;
}

describe("incoming baggage is untrusted", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  afterEach(() => app?.close());

  it("refuses every reserved judgment.* key, on every span and in what inject forwards", async () => {
    const tracer = await projectTracer(ctx);
    app = await startApp();
    for (const key of RESERVED) {
      const baggage = `${encodeURIComponent(key)}=attacker,judgment.session_id=s-${encodeURIComponent(key)}`;
      expect(await app.request(`/${key}`, { traceparent: UPSTREAM, baggage })).toBe(`handled /${key}`);
    }
    const spans = await received(ctx, tracer);
    expect(spans).toHaveLength(RESERVED.length * 2);
    for (const span of spans) {
      for (const [key, value] of Object.entries(span.attributes)) expect([key, value]).not.toEqual([key, "attacker"]);
      expect(span.spanType).toBe(span.name === "handle" ? "agent" : "span");
    }
    // the identity key alone came through, on every span of the request, and the app's own value won
    for (const handle of spans.filter((s) => s.name === "handle")) {
      const key = (io(handle).input as { path: string }).path.slice(1);
      const child = spans.find((s) => s.parentSpanId === handle.spanId)!;
      for (const span of [handle, child]) {
        expect(span.attributes["judgment.session_id"]).toBe(`s-${key}`);
        expect(span.attributes["judgment.customer_id"]).toBe("set-by-the-app");
      }
      expect(handle.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    }
    expect(app.forwarded).toHaveLength(RESERVED.length);
    for (const headers of app.forwarded) {
      const forwarded = baggageOf(headers);
      expect([...forwarded.keys()].sort()).toEqual(["judgment.customer_id", "judgment.session_id"]);
      expect(forwarded.get("judgment.customer_id")).toBe("set-by-the-app");
    }
  });

  it("a 150-entry header cannot crowd out the SDK's own attributes, nor set undeclared keys, yet travels on", async () => {
    const tracer = await projectTracer(ctx);
    app = await startApp();
    const entries = Array.from({ length: 147 }, (_, i) => `k${i}=v`);
    entries.push("judgment.customer_user_id=u-1", "gen_ai.request.model=gpt-evil", "judgment.usage.total_cost_usd=999");
    const header = entries.join(",");
    expect(header.length).toBeGreaterThan(900);
    expect(await app.request("/crowd", { traceparent: UPSTREAM, baggage: header })).toBe("handled /crowd");
    const spans = await received(ctx, tracer);
    const handle = one(spans, "handle");
    expect(handle.attributes).toMatchObject({
      "judgment.span_kind": "agent",
      "judgment.customer_id": "set-by-the-app",
      "judgment.customer_user_id": "u-1",
    });
    expect(io(handle)).toEqual({ input: { path: "/crowd" }, output: "handled /crowd" });
    const keys = Object.keys(handle.attributes);
    expect(keys.filter((k) => /^k\d+$/.test(k))).toEqual([]);
    expect(handle.attributes["gen_ai.request.model"]).toBeUndefined();
    expect(handle.attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
    // the app's own keys are forwarded as they came; of the judgment.* keys only the identity keys
    const forwarded = baggageOf(app.forwarded[0]);
    expect([...forwarded.keys()].filter((k) => k.startsWith("judgment."))).toEqual(["judgment.customer_user_id", "judgment.customer_id"]);
    expect([...forwarded.keys()].filter((k) => /^k\d+$/.test(k))).toEqual(entries.slice(0, 147).map((e) => e.split("=")[0]));
    expect(forwarded.get("gen_ai.request.model")).toBe("gpt-evil");
    expect(forwarded.get("judgment.customer_id")).toBe("set-by-the-app");
  });

  it("oversized identity values are dropped, not cut into a wrong id", async () => {
    const tracer = await projectTracer(ctx);
    app = await startApp();
    await app.request("/long", { traceparent: UPSTREAM, baggage: `judgment.session_id=${"s".repeat(5000)}` });
    const handle = one(await received(ctx, tracer), "handle");
    expect(handle.attributes["judgment.session_id"]).toBeUndefined();
    expect(handle.attributes["judgment.customer_id"]).toBe("set-by-the-app");
  });

  it("continueTrace({ ignoreBaggage: true }) takes nothing from baggage and forwards only the app's own values", async () => {
    const tracer = await projectTracer(ctx);
    app = await startApp({ ignoreBaggage: true });
    await app.request("/public", { traceparent: UPSTREAM, baggage: "judgment.session_id=victim-session,judgment.customer_id=victim" });
    const spans = await received(ctx, tracer);
    for (const span of spans) {
      expect(span.attributes["judgment.session_id"]).toBeUndefined();
      expect(span.attributes["judgment.customer_id"]).toBe("set-by-the-app");
    }
    expect(one(spans, "handle").traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect([...baggageOf(app.forwarded[0]).entries()]).toEqual([["judgment.customer_id", "set-by-the-app"]]);
  });
});

describe("declared propagating keys", () => {
  it("come in and go out; judgment.* keys cannot be declared", async () => {
    expect(() => Tracer.init({ propagatingKeys: ["judgment.span_kind"], setActive: false })).toThrow(/propagatingKeys.*reserved/);
    expect(() => Tracer.init({ propagatingKeys: "tenant" as never, setActive: false })).toThrow(/propagatingKeys/);
    const tracer = await projectTracer(ctx, { propagatingKeys: ["tenant"] });
    const app = await startApp();
    try {
      await app.request("/tenant", { traceparent: UPSTREAM, baggage: "tenant=acme,plan=pro" });
      const spans: StoredSpan[] = await received(ctx, tracer);
      for (const span of spans) {
        expect(span.attributes.tenant).toBe("acme");
        expect(span.attributes.plan).toBeUndefined();
      }
      // both travel on: the declaration decides what becomes an attribute, not what is forwarded
      expect(baggageOf(app.forwarded[0]).get("tenant")).toBe("acme");
      expect(baggageOf(app.forwarded[0]).get("plan")).toBe("pro");
    } finally {
      await app.close();
    }
  });
});
