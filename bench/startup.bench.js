"use strict";
/**
 * Cold start, in a fresh process: `require` of what a setup imports, then its initialisation
 * (credentials given, export to the sink), up to the point where a first span can be made.
 * Wall time (hrtime) and CPU time (process.cpuUsage) of both steps. Never waits on a network
 * answer unless the init does.
 *
 *   node bench/startup.bench.js <variant> <sinkUrl>   → { requireMs, initMs, cpuMs, modules }
 *
 * Variants: `ours` (require("judgeval") + Tracer.init) and `otel-bare` (the OpenTelemetry SDK's
 * provider, the OTLP/proto exporter and the async-hooks context manager, then a provider with a
 * batch processor, registered). bench/peers/startup.js adds the peer SDKs to these.
 * BENCH_STARTUP_MODULES=1 adds the load time of each module (self time, own and OpenTelemetry's).
 */
const path = require("node:path");
const Module = require("node:module");
const { runMain } = require("./lib/common.js");

const ROOT = path.join(__dirname, "..", "node_modules");

/** [require, init] per variant; init returns once a span can be made. */
const VARIANTS = {
  ours: [
    () => require(path.resolve(process.env.JUDGEVAL_BENCH_PKG ?? path.join(__dirname, "..", "dist", "cjs"))),
    (m, baseUrl) => m.Tracer.init({ projectName: "bench", apiUrl: baseUrl, apiKey: "bench-key", organizationId: "bench-org" }),
  ],
  "otel-bare": [
    () => ({
      api: require(path.join(ROOT, "@opentelemetry/api")),
      sdk: require(path.join(ROOT, "@opentelemetry/sdk-trace")),
      otlp: require(path.join(ROOT, "@opentelemetry/exporter-trace-otlp-proto")),
      hooks: require(path.join(ROOT, "@opentelemetry/context-async-hooks")),
    }),
    ({ api, sdk, otlp, hooks }, baseUrl) => {
      api.context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
      const exporter = new otlp.OTLPTraceExporter({ url: `${baseUrl}/otel/v1/traces` });
      const provider = new sdk.TracerProvider({ spanProcessors: [new sdk.BatchSpanProcessor(exporter)] });
      api.trace.setGlobalTracerProvider(provider);
      return provider.getTracer("bench");
    },
  ],
};

/** Self time of each module's load (its own compile and top level, not its imports'), in ms. */
function timeModules() {
  const load = Module._load;
  const self = new Map();
  const stack = [];
  Module._load = function (request, parent) {
    const started = process.hrtime.bigint();
    stack.push(0n);
    try {
      return load.apply(this, arguments);
    } finally {
      const children = stack.pop();
      const total = process.hrtime.bigint() - started;
      if (stack.length) stack[stack.length - 1] += total;
      let file = request;
      try {
        file = Module._resolveFilename(request, parent);
      } catch {
        // a builtin or an unresolvable name: kept as written
      }
      self.set(file, (self.get(file) ?? 0) + Number(total - children) / 1e6);
    }
  };
  return () => {
    Module._load = load;
    return [...self].map(([file, ms]) => ({ file, ms }));
  };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Runs one variant of `variants` (this file's, or a superset) and measures it. */
async function measure(variants, variant, sinkUrl) {
  const [load, init] = variants[variant];
  const baseUrl = `${sinkUrl}/v/startup-${variant}`;
  const stopTiming = process.env.BENCH_STARTUP_MODULES === "1" ? timeModules() : undefined;
  const before = new Set(Object.keys(require.cache));
  const cpu0 = cpuMs();
  const t0 = process.hrtime.bigint();
  const loaded = load();
  const requireMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  await init(loaded, baseUrl);
  const initMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const cpu = cpuMs() - cpu0;
  const modules = Object.keys(require.cache).filter((k) => !before.has(k)).length;
  return { variant, requireMs, initMs, cpuMs: cpu, modules, moduleTimes: stopTiming?.() };
}

if (require.main === module) {
  const [variant, sinkUrl] = process.argv.slice(2);
  runMain(() => measure(VARIANTS, variant, sinkUrl));
}

module.exports = { VARIANTS, measure };
