"use strict";
/**
 * Cold start of one SDK, in a fresh process: `require` of what its documented setup imports,
 * then its initialisation (credentials given, export to the sink), up to the point where a
 * first span can be made. Never waits on a network answer unless the SDK's init does.
 *
 *   node bench/peers/startup.js <variant> <sinkUrl>   → { requireMs, initMs }
 */
const path = require("node:path");
const { runMain } = require("../lib/common.js");

const [variant, sinkUrl] = process.argv.slice(2);
const baseUrl = `${sinkUrl}/v/startup-${variant}`;
const ROOT = path.join(__dirname, "..", "..", "node_modules");
const PEERS = path.join(__dirname, "node_modules");
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;

/** [require, init] for the variant; init returns once a span can be made. */
const VARIANTS = {
  ours: [
    () => require(path.resolve(process.env.JUDGEVAL_BENCH_PKG ?? path.join(__dirname, "..", "..", "dist", "cjs"))),
    (m) => m.Tracer.init({ projectName: "bench", apiUrl: baseUrl, apiKey: "bench-key", organizationId: "bench-org" }),
  ],
  "otel-bare": [
    () => ({
      node: require(path.join(ROOT, "@opentelemetry/sdk-trace-node")),
      base: require(path.join(ROOT, "@opentelemetry/sdk-trace-base")),
      otlp: require(path.join(ROOT, "@opentelemetry/exporter-trace-otlp-proto")),
    }),
    ({ node, base, otlp }) => {
      const provider = new node.NodeTracerProvider({ spanProcessors: [new base.BatchSpanProcessor(new otlp.OTLPTraceExporter({ url: `${baseUrl}/otel/v1/traces` }))] });
      provider.register();
      return provider.getTracer("bench");
    },
  ],
  official: [() => require(path.join(PEERS, "judgeval")), (m) => m.Tracer.init({ projectName: "bench", apiUrl: baseUrl, apiKey: "k", organizationId: "o" })],
  langfuse: [
    () => ({ node: require(path.join(PEERS, "@opentelemetry/sdk-trace-node")), otel: require(path.join(PEERS, "@langfuse/otel")), tracing: require(path.join(PEERS, "@langfuse/tracing")) }),
    ({ node, otel }) => new node.NodeTracerProvider({ spanProcessors: [new otel.LangfuseSpanProcessor({ publicKey: "pk", secretKey: "sk", baseUrl })] }).register(),
  ],
  langsmith: [
    () => ({ ls: require(path.join(PEERS, "langsmith")), traceable: require(path.join(PEERS, "langsmith/traceable")) }),
    ({ ls }) => new ls.Client({ apiUrl: baseUrl, apiKey: "k" }),
  ],
  braintrust: [() => require(path.join(PEERS, "braintrust")), (bt) => bt.initLogger({ projectName: "bench", apiKey: "k", appUrl: baseUrl, asyncFlush: true })],
  traceloop: [
    () => require(path.join(PEERS, "@traceloop/node-server-sdk")),
    (tl) => tl.initialize({ appName: "bench", apiKey: "k", baseUrl, silenceInitializationMessage: true, instrumentModules: {} }),
  ],
  openinference: [
    () => ({
      core: require(path.join(PEERS, "@arizeai/openinference-core")),
      node: require(path.join(PEERS, "@opentelemetry/sdk-trace-node")),
      base: require(path.join(PEERS, "@opentelemetry/sdk-trace-base")),
      otlp: require(path.join(PEERS, "@opentelemetry/exporter-trace-otlp-proto")),
    }),
    ({ node, base, otlp }) => new node.NodeTracerProvider({ spanProcessors: [new base.BatchSpanProcessor(new otlp.OTLPTraceExporter({ url: `${baseUrl}/otel/v1/traces` }))] }).register(),
  ],
};

async function main() {
  const [load, init] = VARIANTS[variant];
  const t0 = process.hrtime.bigint();
  const loaded = load();
  const requireMs = ms(t0);
  const t1 = process.hrtime.bigint();
  await init(loaded);
  return { variant, requireMs, initMs: ms(t1) };
}

runMain(main);
