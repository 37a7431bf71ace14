"use strict";
/**
 * One HTTP agent server of the load benchmark, in its own process:
 *
 *   node bench/load/server.js <variant> <providerUrl> <sinkUrl>
 *
 * POST /agent runs the agent of bench/fixtures/agent.ts (compiled by run.js to
 * BENCH_AGENT_JS) for the question in the body: 10 spans a request, two of them model calls to
 * the loopback provider. Variants:
 *   plain     no tracing: the decorator returns the method as it is, the client is OpenAI's;
 *   otel      bare OpenTelemetry: @opentelemetry/sdk-trace 3.x, a BatchSpanProcessor with
 *             judgeval's batching settings and the OTLP/proto exporter to the sink; each method
 *             and each model call in a span with a few attributes, as by hand;
 *   judgeval  this repository's build: Tracer.init exporting to the sink, @observe, the client
 *             wrapped with Tracer.wrap.
 * Sends { port } once listening and { rss, at } every BENCH_LOAD_RSS_MS; answers { cmd: "usage" }
 * with { usage: { cpuUs, handled } } (CPU time so far, requests handled). On { cmd: "finish" } it
 * waits for the requests in flight, flushes, and answers { handled, failed, spansPerRequest }.
 */
const http = require("node:http");
const path = require("node:path");
const { loadJudgeval } = require("../lib/common.js");

const [variant, providerUrl, sinkUrl] = process.argv.slice(2);
const RSS_MS = Number(process.env.BENCH_LOAD_RSS_MS ?? 1000);
const { makeAgent, SPANS_PER_REQUEST } = require(path.resolve(process.env.BENCH_AGENT_JS));

function openai() {
  const { default: OpenAI } = require("openai");
  return new OpenAI({ apiKey: "bench-key", baseURL: `${providerUrl}/v1`, maxRetries: 0 });
}

/** The variant's `observe` (decorator factory), client and flush. */
async function setup() {
  switch (variant) {
    case "plain":
      return { observe: () => (method) => method, client: openai(), flush: async () => {} };
    case "otel":
      return otelSetup();
    case "judgeval": {
      const { Tracer, observe } = loadJudgeval();
      const tracer = Tracer.init({
        projectName: "load",
        apiUrl: `${sinkUrl}/v/judgeval`,
        apiKey: "bench-key",
        organizationId: "bench-org",
      });
      await tracer.ready;
      if (!tracer.projectId) throw new Error("the project did not resolve against the sink");
      return { observe, client: Tracer.wrap(openai()), flush: () => tracer.forceFlush() };
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

function otelSetup() {
  const { context, SpanStatusCode } = require("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
  const { BatchSpanProcessor, TracerProvider } = require("@opentelemetry/sdk-trace");
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-proto");
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new OTLPTraceExporter({ url: `${sinkUrl}/v/otel/v1/traces` });
  const processor = new BatchSpanProcessor({ exporter, maxQueueSize: 20480, maxExportBatchSize: 512, scheduledDelayMillis: 1000 });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer("load");
  const failed = (span, err) => {
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    throw err;
  };
  /** `fn` in an active span named `name`; a promise result ends the span when it settles. */
  const inSpan = (name, attributes, fn) =>
    tracer.startActiveSpan(name, { attributes }, (span) => {
      let result;
      try {
        result = fn(span);
      } catch (err) {
        failed(span, err);
      }
      if (result && typeof result.then === "function")
        return result.then(
          (value) => {
            span.end();
            return value;
          },
          (err) => failed(span, err),
        );
      span.end();
      return result;
    });
  const observe =
    ({ spanType }) =>
    (method, ctx) =>
      function (...args) {
        return inSpan(String(ctx.name), { "span.type": spanType }, () => method.apply(this, args));
      };
  const raw = openai();
  const client = {
    chat: {
      completions: {
        create: (request) =>
          inSpan("chat", { "gen_ai.operation.name": "chat", "gen_ai.request.model": request.model }, async (span) => {
            const response = await raw.chat.completions.create(request);
            span.setAttribute("gen_ai.response.model", response.model);
            span.setAttribute("gen_ai.usage.input_tokens", response.usage?.prompt_tokens ?? 0);
            span.setAttribute("gen_ai.usage.output_tokens", response.usage?.completion_tokens ?? 0);
            return response;
          }),
      },
    },
  };
  return { observe, client, flush: () => provider.forceFlush() };
}

async function main() {
  const { observe, client, flush } = await setup();
  const agent = makeAgent(observe, client);
  let handled = 0;
  let failed = 0;
  let inFlight = 0;
  let idle;
  const done = (ok) => {
    if (ok) handled++;
    else failed++;
    if (--inFlight === 0 && idle) idle();
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    inFlight++;
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let question = "What is the weather like?";
      try {
        question = String(JSON.parse(Buffer.concat(chunks).toString("utf8")).question ?? question);
      } catch {
        // the load generator's body is fixed: a bad one still runs the agent
      }
      agent.handle(question).then(
        (result) => {
          const body = JSON.stringify(result);
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
          res.end(body);
          done(true);
        },
        (err) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(err && err.message));
          done(false);
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const sample = setInterval(() => process.send({ rss: process.memoryUsage().rss, at: Date.now() }), RSS_MS);
  process.on("message", async (msg) => {
    if (msg.cmd === "usage") {
      const cpu = process.cpuUsage();
      return process.send({ usage: { cpuUs: cpu.user + cpu.system, handled } });
    }
    if (msg.cmd !== "finish") return;
    clearInterval(sample);
    if (inFlight > 0) await new Promise((resolve) => (idle = resolve));
    await flush();
    process.send({ result: { variant, handled, failed, spansPerRequest: variant === "plain" ? 0 : SPANS_PER_REQUEST } }, () =>
      process.exit(0),
    );
  });
  process.send({ port: server.address().port });
}

main().catch((err) => {
  process.send?.({ result: { error: String(err && err.stack ? err.stack : err) } }, () => process.exit(1));
});
process.on("disconnect", () => process.exit(0));
