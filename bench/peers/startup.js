"use strict";
/**
 * Cold start of one SDK, in a fresh process: `require` of what its documented setup imports,
 * then its initialisation (credentials given, export to the sink), up to the point where a
 * first span can be made. Never waits on a network answer unless the SDK's init does.
 *
 *   node bench/peers/startup.js <variant> <sinkUrl>   → { requireMs, initMs, cpuMs, modules }
 */
const path = require("node:path");
const { runMain } = require("../lib/common.js");
const own = require("../startup.bench.js");

const [variant, sinkUrl] = process.argv.slice(2);
const baseUrl = `${sinkUrl}/v/startup-${variant}`;
const PEERS = path.join(__dirname, "node_modules");

/** [require, init] for the variant; init returns once a span can be made. `ours` and `otel-bare` are bench/startup.bench.js's. */
const VARIANTS = {
  ...own.VARIANTS,
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

runMain(() => own.measure(VARIANTS, variant, sinkUrl));
