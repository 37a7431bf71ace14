"use strict";
/**
 * Scenario 1: per-call cost of a traced small sync function, spans exported to
 * the loopback sink (bench/lib/sink.js, its own process) so batching and export
 * are part of the figure. One variant per process:
 *
 *   node bench/observe.bench.js <variant> <sinkUrl>
 *
 * variants: ours-decorator (stage-3 @observe, compiled by run.js),
 * ours-observe-fn (observe(fn)), otel-bare (startActiveSpan + 2 attributes +
 * end on a TracerProvider with a BatchSpanProcessor and the OTLP/proto
 * exporter), official (`Tracer.observe` of the judgeval package on npm,
 * installed in bench/official by run.js).
 *
 * A timed round is ROUND_CALLS calls in chunks of 256 with a yield to the event
 * loop between chunks, then a flush, so the exporter's work is inside the
 * window. With BENCH_LOCKSTEP=1 (set by run.js) the process warms up, says
 * { ready }, then runs one round per { cmd: "round" } and reports on
 * { cmd: "finish" }: run.js interleaves the variants' processes round by round
 * so background load hits all of them alike. Otherwise it runs ROUNDS rounds.
 */
const path = require("node:path");
const { loadJudgeval, median, timeChunked, getJson, runMain, startProfiling, otelSdkVersion } = require("./lib/common.js");

const [variant, sinkUrl] = process.argv.slice(2);
const WARMUP_CALLS = Number(process.env.BENCH_WARMUP_CALLS ?? 40_000);
const ROUND_CALLS = Number(process.env.BENCH_ROUND_CALLS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const LOCKSTEP = process.env.BENCH_LOCKSTEP === "1" && typeof process.send === "function";
/** Where bench/run.js installs the official package (bench/official, apart from the root project). */
const OFFICIAL = path.join(__dirname, "official", "node_modules");
/** Each variant talks to the sink under its own path prefix, so the sink counts its spans apart. */
const BASE_URL = `${sinkUrl}/v/${variant}`;
const CREDS = { projectName: "bench", apiUrl: BASE_URL, apiKey: "bench-key", organizationId: "bench-org" };

function add(a, b) {
  return a + b;
}

/** Returns { call(i) → number, flush() → Promise, info } for the variant. */
async function setup() {
  switch (variant) {
    case "ours-decorator":
    case "ours-observe-fn": {
      const { Tracer, observe, VERSION } = loadJudgeval();
      const tracer = Tracer.init(CREDS);
      await tracer.ready;
      if (!tracer.projectId) throw new Error("project did not resolve against the sink");
      let call;
      if (variant === "ours-decorator") {
        const { makeCalculator } = require(path.resolve(process.env.BENCH_DECORATED_JS));
        const calc = makeCalculator(observe);
        call = (i) => calc.add(i, 1);
      } else {
        const traced = observe(add);
        call = (i) => traced(i, 1);
      }
      return { call, flush: () => tracer.forceFlush(), info: `judgeval ${VERSION} (this repo, dist/cjs)` };
    }
    case "otel-bare":
    case "otel-same-data": {
      const { TracerProvider, BatchSpanProcessor } = require("@opentelemetry/sdk-trace");
      const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
      const { context } = require("@opentelemetry/api");
      const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-proto");
      const exporter = new OTLPTraceExporter({ url: `${BASE_URL}/otel/v1/traces` });
      // Same batching settings as judgeval's processor defaults.
      const processor = new BatchSpanProcessor({
        exporter,
        maxQueueSize: 20480,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 1000,
      });
      const provider = new TracerProvider({ spanProcessors: [processor] });
      // AsyncLocalStorage context manager, as judgeval installs
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      const tracer = provider.getTracer("bench");
      // otel-same-data: the attributes judgeval's wire format puts on this span, set by hand,
      // to tell the cost of the data from the cost of the SDK around it.
      const record =
        variant === "otel-bare"
          ? (span, a, b, out) => {
              span.setAttribute("input.a", a);
              span.setAttribute("output", out);
            }
          : (span, a, b, out) => {
              span.setAttribute("judgment.span_kind", "span");
              span.setAttribute("judgment.input", `{"a":${a},"b":${b}}`);
              span.setAttribute("judgment.output", String(out));
              span.setAttribute("judgment.update_id", 0);
            };
      const traced = (a, b) =>
        tracer.startActiveSpan("add", (span) => {
          const out = a + b;
          record(span, a, b, out);
          span.end();
          return out;
        });
      const version = otelSdkVersion();
      return { call: (i) => traced(i, 1), flush: () => provider.forceFlush(), info: `@opentelemetry/sdk-trace ${version}` };
    }
    case "official": {
      const { Tracer } = require(path.join(OFFICIAL, "judgeval"));
      const version = require(path.join(OFFICIAL, "judgeval", "package.json")).version;
      await Tracer.init(CREDS);
      const traced = Tracer.observe(add);
      return { call: (i) => traced(i, 1), flush: () => Tracer.forceFlush(), info: `judgeval ${version} from npm` };
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

/** This variant's counters at the sink. */
async function sinkStats() {
  const stats = await getJson(`${sinkUrl}/__stats`);
  return stats.byTag[variant] ?? { exports: 0, spans: 0, bytes: 0 };
}

async function main() {
  const { call, flush, info } = await setup();
  await timeChunked(call, WARMUP_CALLS);
  await flush();
  const before = await sinkStats();
  // BENCH_PROFILE_FILE: a CPU profile of the timed rounds only (no start-up, no warm-up).
  const stopProfiling = process.env.BENCH_PROFILE_FILE
    ? await startProfiling(Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 250))
    : undefined;
  const rounds = [];
  const round = async () => {
    const start = process.hrtime.bigint();
    await timeChunked(call, ROUND_CALLS);
    await flush();
    rounds.push(Number(process.hrtime.bigint() - start) / ROUND_CALLS);
    return rounds[rounds.length - 1];
  };
  if (LOCKSTEP) {
    await new Promise((resolve) => {
      process.on("message", (msg) => {
        if (msg.cmd === "round") void round().then((ns) => process.send({ round: ns }));
        else if (msg.cmd === "finish") resolve();
      });
      process.send({ ready: true });
    });
  } else {
    for (let r = 0; r < ROUNDS; r++) await round();
  }
  if (stopProfiling) await stopProfiling(process.env.BENCH_PROFILE_FILE);
  await flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = await sinkStats();
  return {
    variant,
    info,
    nsPerCall: median(rounds),
    rounds,
    made: rounds.length * ROUND_CALLS,
    profile: process.env.BENCH_PROFILE_FILE,
    delivered: after.spans - before.spans,
    exportRequests: after.exports - before.exports,
    exportBytes: after.bytes - before.bytes,
  };
}

runMain(main);
