"use strict";
/** Helpers shared by the benchmark scripts (each runs in its own child process). */
const path = require("node:path");

/**
 * The judgeval build under test: the snapshot of dist/cjs that bench/run.js
 * took (so a concurrent `npm run build` cannot pull it away mid-run), else the
 * package itself, resolved by name as a user would.
 */
function loadJudgeval() {
  const dir = process.env.JUDGEVAL_BENCH_PKG;
  return dir ? require(path.resolve(dir)) : require("judgeval");
}

/** The `judgeval/dev` entry of the same build. */
function loadJudgevalDev() {
  const dir = process.env.JUDGEVAL_BENCH_PKG;
  return dir ? require(path.resolve(dir, "dev")) : require("judgeval/dev");
}

const setImmediateP = () => new Promise((resolve) => setImmediate(resolve));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times `calls` invocations of `body(i)` in chunks of `chunk`, yielding to the
 * event loop between chunks so batch timers and exports run inside the timed
 * window (their cost is part of the per-call figure). Returns ns per call.
 */
async function timeChunked(body, calls, chunk = 256) {
  let acc = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls;) {
    const end = Math.min(calls, i + chunk);
    for (; i < end; i++) acc += body(i);
    await setImmediateP();
  }
  const ns = Number(process.hrtime.bigint() - start) / calls;
  if (acc === -1) console.error("unreachable");
  return ns;
}

/** Times `calls` invocations of `body(i)` in one synchronous loop. Returns ns per call. */
function timeTight(body, calls) {
  let acc = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) acc += body(i);
  const ns = Number(process.hrtime.bigint() - start) / calls;
  if (acc === -1) console.error("unreachable");
  return ns;
}

/** GETs JSON from the sink (or any loopback URL). */
async function getJson(url, init) {
  const res = await fetch(url, init);
  return res.json();
}

/** Sends the result object to the orchestrator (IPC) or prints it when run by hand. */
function report(result) {
  if (!process.send) {
    console.log(JSON.stringify(result, null, 2));
    return Promise.resolve();
  }
  return new Promise((resolve) => process.send({ result }, () => resolve()));
}

/** Runs `main`, reporting a crash as a result so the orchestrator can show it, then exits. */
function runMain(main) {
  main().then(
    (result) => report(result).then(() => process.exit(0)),
    (err) => report({ error: String(err && err.stack ? err.stack : err) }).then(() => process.exit(1)),
  );
}

/**
 * Starts V8's CPU profiler in this process (the same profiler and .cpuprofile format as
 * `node --cpu-prof`, but only around the part that is measured). Resolves with `stop(file)`.
 */
async function startProfiling(intervalMicros = 250) {
  const inspector = require("node:inspector");
  const fs = require("node:fs");
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: intervalMicros });
  await post("Profiler.start");
  return async (file) => {
    const { profile } = await post("Profiler.stop");
    session.disconnect();
    fs.writeFileSync(file, JSON.stringify(profile));
  };
}

/** Version of the OpenTelemetry SDK in use (its package.json is not among its exports). */
function otelSdkVersion() {
  const entry = require.resolve("@opentelemetry/sdk-trace");
  return JSON.parse(require("node:fs").readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8")).version;
}

module.exports = {
  otelSdkVersion,
  loadJudgevalDev,
  startProfiling,
  loadJudgeval,
  setImmediateP,
  median,
  timeChunked,
  timeTight,
  getJson,
  report,
  runMain,
};
