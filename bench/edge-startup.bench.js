"use strict";
/**
 * Cold start in the Vercel Edge runtime (`edge-runtime` from npm, installed into the runtime cache
 * by scripts/runtime.sh): the evaluation of an app's bundle whose top level imports the SDK, inits
 * it and makes a first span, each in a fresh process and runtime (nothing compiled before). Wall
 * time (hrtime) around the evaluation alone: the runtime's own creation is the same for both.
 *
 *   node bench/edge-startup.bench.js [rounds]   → one JSON line: medians and the median ratio
 *
 * Variants: `ours` (the package's `edge-light` build: `Tracer.init` + `Tracer.span`),
 * `ours-import` (its import alone: what compiling the bundle and the modules' top-level code cost,
 * before any init) and `otel-bare` (OpenTelemetry JS 3.x as it bundles for `edge-light`: a
 * `TracerProvider` with a batch processor and the OTLP/proto exporter, the AsyncLocalStorage
 * context manager, registered, and a first span). All bundled by esbuild as Next.js bundles an
 * edge route. Needs `npm run build`. `oursPhasesMs` splits ours (medians): compiling the script,
 * its modules' top-level code, `Tracer.init`, the first span.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const hooks = require("node:async_hooks");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const SINK = "http://127.0.0.1:9/otel/v1/traces";

const SOURCES = {
  // marks between the steps: see PHASES
  ours: `import { Tracer } from "judgeval";
const marks = [performance.now()];
Tracer.init({ projectName: "bench", apiUrl: "${SINK.replace("/otel/v1/traces", "")}", apiKey: "bench-key", organizationId: "bench-org" });
marks.push(performance.now());
Tracer.span("first", () => undefined);
marks.push(performance.now());
globalThis.__marks = marks;`,
  // the export keeps the import from being dropped as unused
  "ours-import": `import { Tracer } from "judgeval";
export const tracer = Tracer;`,
  "otel-bare": `import { context, trace } from "@opentelemetry/api";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: "${SINK}" }))] });
trace.setGlobalTracerProvider(provider);
provider.getTracer("bench").startSpan("first").end();`,
};

/** Each variant as one CommonJS bundle for `edge-light`, wrapped for evaluation in the runtime. */
function bundle(variant) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "judgeval-edge-bench-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(root, path.join(dir, "node_modules", "judgeval"), "dir");
  const { outputFiles } = esbuild.buildSync({
    stdin: { contents: SOURCES[variant], resolveDir: dir, loader: "js" },
    bundle: true,
    write: false,
    format: "cjs",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser"],
    nodePaths: [path.join(root, "node_modules")],
    external: ["node:*", "async_hooks", "events", "buffer"],
    minify: true,
    logLevel: "error",
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return `globalThis.__start = performance.now(); ((module) => { ${outputFiles[0].text} })({ exports: {} });`;
}

const MODULES = { async_hooks: hooks, buffer: require("node:buffer"), events: require("node:events") };

function runOnce(EdgeRuntime, code) {
  const runtime = new EdgeRuntime({
    extend: (context) =>
      Object.assign(context, {
        AsyncLocalStorage: hooks.AsyncLocalStorage,
        require: (name) => MODULES[name.replace(/^node:/, "")],
        process: { env: { JUDGMENT_LOG_LEVEL: "none" } },
      }),
  });
  const t0 = process.hrtime.bigint();
  runtime.evaluate(code);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const { __start: start, __marks: marks } = runtime.context;
  if (!marks) return { ms };
  // What runs before the first mark is the bundle's top level (its modules' code); what the
  // evaluation took besides the marked steps is mostly compiling the script.
  const [imported, inited, spanned] = marks;
  const phases = { modules: imported - start, init: inited - imported, firstSpan: spanned - inited };
  return { ms, phases: { compile: ms - (spanned - start), ...phases } };
}

/** The phases of `ours` (see runOnce), in ms. */
const PHASES = ["compile", "modules", "init", "firstSpan"];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One measurement in a fresh process: `node edge-startup.bench.js --one <entry> <bundle file>`. */
function one(entry, file) {
  const { EdgeRuntime } = require(entry);
  process.stdout.write(JSON.stringify(runOnce(EdgeRuntime, fs.readFileSync(file, "utf8"))));
  // the runtime's timers (batch processors, the project lookup's retries) would keep it running
  process.exit(0);
}

function main() {
  const rounds = Number(process.argv[2] ?? 15);
  const entry = execFileSync(path.join(root, "scripts", "runtime.sh"), ["edge-runtime"], { encoding: "utf8" }).trim();
  const version = require(path.join(path.dirname(entry), "..", "package.json")).version;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "judgeval-edge-bench-"));
  const files = {};
  for (const v of Object.keys(SOURCES)) fs.writeFileSync((files[v] = path.join(dir, `${v}.js`)), bundle(v));
  const bytes = (v) => fs.readFileSync(files[v], "utf8").length;
  const measureIn = (v) => JSON.parse(execFileSync(process.execPath, [__filename, "--one", entry, files[v]], { encoding: "utf8" }));
  const ms = { ours: [], "ours-import": [], "otel-bare": [] };
  const phases = Object.fromEntries(PHASES.map((p) => [p, []]));
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    // the order alternates, so neither variant always runs on a warmer machine
    const order = i % 2 ? ["otel-bare", "ours-import", "ours"] : ["ours", "ours-import", "otel-bare"];
    const round = {};
    for (const v of order) {
      const measured = measureIn(v);
      ms[v].push((round[v] = measured.ms));
      for (const p of PHASES) if (measured.phases) phases[p].push(measured.phases[p]);
    }
    ratios.push(round.ours / round["otel-bare"]);
  }
  console.log(
    JSON.stringify({
      runtime: `edge-runtime ${version}`,
      rounds,
      oursMs: median(ms.ours),
      oursImportMs: median(ms["ours-import"]),
      otelBareMs: median(ms["otel-bare"]),
      oursPhasesMs: Object.fromEntries(PHASES.map((p) => [p, Number(median(phases[p]).toFixed(2))])),
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      bundleBytes: { ours: bytes("ours"), "otel-bare": bytes("otel-bare") },
    }),
  );
}

if (process.argv[2] === "--one") one(process.argv[3], process.argv[4]);
else main();
