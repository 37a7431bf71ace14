import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Client as PlainClient, type Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Tracer } from "../../lib/index.js";
import { traceMCPClient, traceMCPServer } from "../../lib/integrations/mcp/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";
import { connectClient, registerWeather, serveOverHttp, type HttpMcp } from "./support/mcp.js";
import { outline } from "./support/tree.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();
let http: HttpMcp;
let client: Client;

const lookup = Tracer.observe(async function lookup(city: string) {
  return `Sunny in ${city}`;
});

beforeAll(async () => {
  http = await serveOverHttp(() => registerWeather(traceMCPServer(new McpServer({ name: "weather", version: "1.0.0" })), lookup));
  client = traceMCPClient(await connectClient(http.url));
});
afterAll(async () => {
  await client.close();
  await http.close();
});

describe("judgeval/mcp over streamable HTTP", () => {
  it("joins client and server in one trace: caller → client tool span → server tool span → the tool's own spans", async () => {
    const tracer = await projectTracer(ctx);
    // Tracing a client twice changes nothing: one span per call.
    expect(traceMCPClient(client)).toBe(client);
    const result = await Tracer.span("caller", () => client.callTool({ name: "get_weather", arguments: { city: "Paris" } }));
    expect(result.content).toEqual([{ type: "text", text: "Sunny in Paris" }]);

    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual([
      "caller (span)",
      "  tools/call get_weather (tool)",
      "    tools/call get_weather (tool)",
      "      lookup (span)",
    ]);
    const [client_, server] = spans.filter((s) => s.name === "tools/call get_weather");
    expect(server.parentSpanId).toBe(client_.spanId);
    for (const span of [client_, server]) {
      expect(span.attributes).toMatchObject({
        "mcp.method.name": "tools/call",
        "gen_ai.tool.name": "get_weather",
        "gen_ai.operation.name": "execute_tool",
      });
      expect(io(span)).toEqual({ input: { city: "Paris" }, output: [{ type: "text", text: "Sunny in Paris" }] });
    }
  });

  it("traces resources and prompts the same way", async () => {
    const tracer = await projectTracer(ctx);
    await Tracer.span("caller", async () => {
      await client.readResource({ uri: "city://Lyon" });
      await client.getPrompt({ name: "forecast", arguments: { city: "Nice" } });
    });
    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual([
      "caller (span)",
      "  resources/read city://Lyon (tool)",
      "    resources/read city://Lyon (tool)",
      "  prompts/get forecast (tool)",
      "    prompts/get forecast (tool)",
    ]);
    const [read] = spans.filter((s) => s.name === "resources/read city://Lyon");
    expect(read.attributes["mcp.resource.uri"]).toBe("city://Lyon");
    expect(io(read).output).toEqual([{ uri: "city://Lyon", text: "Lyon is a city" }]);
    const [prompt] = spans.filter((s) => s.name === "prompts/get forecast");
    expect(io(prompt)).toEqual({
      input: { city: "Nice" },
      output: [{ role: "user", content: { type: "text", text: "Forecast for Nice?" } }],
    });
  });

  it("records a tool's isError result as a failure on both ends, once each", async () => {
    const tracer = await projectTracer(ctx);
    const result = await Tracer.span("caller", () => client.callTool({ name: "broken", arguments: {} }));
    expect(result.isError).toBe(true);
    const spans = await received(ctx, tracer);
    const failed = spans.filter((s) => s.status.code === "error");
    expect(failed.map((s) => s.name)).toEqual(["tools/call broken", "tools/call broken"]);
    for (const span of failed) {
      expect(span.status.message).toBe("station offline");
      expect(span.events.filter((e) => e.name === "exception")).toHaveLength(1);
    }
    expect(one(spans, "caller").status.code).toBe("unset");
  });

  it("sends the trace context in params._meta (SEP-414 keys) beside the caller's own _meta", async () => {
    const tracer = await projectTracer(ctx);
    let seen: Record<string, unknown> | undefined;
    const server = traceMCPServer(new McpServer({ name: "echo-meta", version: "1.0.0" }));
    server.registerTool("meta", { inputSchema: {} }, async (_args, extra) => {
      seen = extra._meta;
      return { content: [] };
    });
    const echo = await serveOverHttp(() => server);
    const other = traceMCPClient(await connectClient(echo.url));
    try {
      await Tracer.span("caller", () => other.callTool({ name: "meta", arguments: {}, _meta: { "example.com/request": "r1" } }));
    } finally {
      await other.close();
      await echo.close();
    }
    const spans = await received(ctx, tracer);
    const clientSpan = spans.find((s) => s.name === "tools/call meta" && s.parentSpanId === one(spans, "caller").spanId)!;
    expect(seen).toEqual({ "example.com/request": "r1", traceparent: `00-${clientSpan.traceId}-${clientSpan.spanId}-01` });
  });

  it("treats _meta as untrusted: malformed trace context starts a fresh trace, baggage cannot set judgment keys", async () => {
    const tracer = await projectTracer(ctx);
    const plain = await connectClient(http.url);
    const hostile = [
      { traceparent: "00-not-a-trace-01", baggage: 42 },
      { traceparent: { toString: "x" }, tracestate: "a".repeat(100_000) },
      { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", baggage: "judgment.span_kind=llm,judgment.input=forged" },
    ];
    try {
      for (const _meta of hostile) {
        const result = await plain.callTool({ name: "get_weather", arguments: { city: "Bern" }, _meta });
        expect(result.content).toEqual([{ type: "text", text: "Sunny in Bern" }]);
      }
    } finally {
      await plain.close();
    }
    const servers = (await received(ctx, tracer)).filter((s) => s.name === "tools/call get_weather");
    expect(servers).toHaveLength(3);
    expect(servers.slice(0, 2).map((s) => s.parentSpanId)).toEqual([null, null]);
    expect(servers[2]).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331", spanType: "tool" });
    expect(servers[2].attributes["judgment.input"]).toBe(JSON.stringify({ city: "Bern" }));
    for (const span of servers) expect(io(span).input).toEqual({ city: "Bern" });
  });

  it("continues nothing from an untraced client: the server's span starts its own trace", async () => {
    const tracer = await projectTracer(ctx);
    const plain = await connectClient(http.url);
    try {
      await Tracer.span("caller", () => plain.callTool({ name: "get_weather", arguments: { city: "Oslo" } }));
    } finally {
      await plain.close();
    }
    const spans = await received(ctx, tracer);
    const server = one(spans, "tools/call get_weather");
    expect(server.parentSpanId).toBeNull();
    expect(server.traceId).not.toBe(one(spans, "caller").traceId);
  });
});

describe("judgeval/mcp: one trust rule for _meta and HTTP headers", () => {
  const FORGED = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", baggage: "judgment.session_id=forged" };

  /** A weather server traced with `options`, called once in memory by a plain client sending `_meta`; the server's span. */
  async function serverSpan(options: Parameters<typeof traceMCPServer>[1], _meta: Record<string, unknown>) {
    const tracer = await projectTracer(ctx);
    const server = registerWeather(traceMCPServer(new McpServer({ name: "trust", version: "1.0.0" }), options), lookup);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const plain = new PlainClient({ name: "plain", version: "1.0.0" });
    await plain.connect(clientSide);
    try {
      const result = await plain.callTool({ name: "get_weather", arguments: { city: "Riga" }, _meta });
      expect(result.content).toEqual([{ type: "text", text: "Sunny in Riga" }]);
    } finally {
      await plain.close();
    }
    return one(await received(ctx, tracer), "tools/call get_weather");
  }

  it("takes the caller's identity from _meta baggage as continueTrace does from headers, unless told to ignore it", async () => {
    const trusted = await serverSpan(undefined, FORGED);
    expect(trusted).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331" });
    expect(trusted.attributes["judgment.session_id"]).toBe("forged");

    const noBaggage = await serverSpan({ ignoreBaggage: true }, FORGED);
    expect(noBaggage).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331" });
    expect(noBaggage.attributes["judgment.session_id"]).toBeUndefined();

    const ownTrace = await serverSpan({ ignoreTraceContext: true, ignoreBaggage: true }, FORGED);
    expect(ownTrace.parentSpanId).toBeNull();
    expect(ownTrace.traceId).not.toBe("0af7651916cd43dd8448eb211c80319c");
    expect(ownTrace.attributes["judgment.session_id"]).toBeUndefined();
  });

  it("hostile values in _meta and arguments (throwing toString, Proxies) reach the tool as without tracing", async () => {
    const hostile = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap });
    const span = await serverSpan(undefined, { traceparent: hostile, baggage: { toString: trap }, tracestate: hostile });
    expect(span.parentSpanId).toBeNull();
  });

  it("a request handler given a throwing Proxy as request or params, or a _meta getter that throws, runs as without tracing", async () => {
    await projectTracer(ctx);
    const handlers: Array<(request: unknown) => unknown> = [];
    const server = { setRequestHandler: (_schema: unknown, handler: (request: unknown) => unknown) => void handlers.push(handler) };
    const warnings = await captureWarnings(() => traceMCPServer(server, new Proxy({}, { get: trap, getPrototypeOf: trap })));
    expect(warnings).toEqual([expect.stringMatching(/^\[judgeval\] traceMCPServer: its options could not be read/)]);
    const seen: unknown[] = [];
    server.setRequestHandler({}, (request) => (seen.push(request), "handled"));
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap });
    const requests = [
      proxy,
      { method: "tools/call", params: proxy },
      { method: "tools/call", params: Object.defineProperty({ name: "t" }, "_meta", { enumerable: true, get: trap }) },
      { method: "tools/call", params: { name: "t", _meta: proxy, arguments: proxy } },
    ];
    for (const request of requests) expect(handlers[0](request)).toBe("handled");
    expect(seen.length).toBe(requests.length);
    seen.forEach((request, i) => expect(request === requests[i]).toBe(true));
  });
});

function trap(): never {
  throw new Error("trap");
}
