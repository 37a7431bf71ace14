"use strict";
/**
 * Scenario 2: what `@observe` / `observe(fn)` adds to a call when there are no
 * credentials (Tracer.init without a key: export off, nothing consumes spans,
 * every call still makes an unexported span with real ids), against the same
 * function called plainly, and against the same call with spans recorded (a
 * second tracer with a span processor, run in its `tracer.run` scope: the
 * span work of export on, without the network). Tight synchronous loops; each
 * variant gets its own freshly compiled loop so they do not share type
 * feedback. Times are the process's CPU time (user + system), so a loaded
 * machine's waits do not count; the added cost is taken round by round
 * against that round's plain loop.
 *
 *   node bench/nocreds.bench.js
 */
const path = require("node:path");
const { loadJudgeval, median, runMain } = require("./lib/common.js");

const CALLS = Number(process.env.BENCH_NOCREDS_CALLS ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

function add(a, b) {
  return a + b;
}

/** CPU time of this process so far, in ns. */
function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/** A loop compiled just for one variant; `scope` runs it (e.g. inside `tracer.run`). */
function loopFor(fn, scope = (f) => f()) {
  // eslint-disable-next-line no-new-func
  const loop = new Function("fn", "n", "let acc = 0; for (let i = 0; i < n; i++) acc += fn(i, 1); return acc;");
  return () =>
    scope(() => {
      const start = cpuNs();
      const acc = loop(fn, CALLS);
      const ns = (cpuNs() - start) / CALLS;
      if (acc === -1) console.error("unreachable");
      return ns;
    });
}

async function main() {
  for (const key of ["JUDGMENT_API_KEY", "JUDGMENT_ORG_ID", "JUDGMENT_API_URL"]) delete process.env[key];
  const { Tracer, observe } = loadJudgeval();
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  const tracer = Tracer.init({ projectName: "bench" });
  await tracer.ready;
  // spans recorded: a processor consumes them (it drops them; no network)
  const discard = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  const recorded = Tracer.init({ projectName: "bench", spanProcessors: [discard], setActive: false });
  await recorded.ready;
  console.warn = warn;

  const { makeCalculator } = require(path.resolve(process.env.BENCH_DECORATED_JS));
  const calc = makeCalculator(observe);
  const variants = {
    plain: loopFor(add),
    "observe(fn)": loopFor(observe(add)),
    "@observe method": loopFor((a, b) => calc.add(a, b)),
    "@observe method, spans recorded": loopFor(
      (a, b) => calc.add(a, b),
      (f) => recorded.run(f),
    ),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const run of Object.values(variants)) run(); // warm-up
  // Interleaved rounds, so drift (other load, frequency) hits every variant alike.
  for (let r = 0; r < ROUNDS; r++) for (const [name, run] of Object.entries(variants)) samples[name].push(run());
  const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const added = (name) => samples[name].map((v, r) => v - samples.plain[r]);
  const range = (values) => [Math.min(...values), Math.max(...values)];
  await recorded.shutdown();
  return {
    exporting: tracer.getSpanExporter() !== undefined,
    warnings: warnings.length,
    nsPerCall: ns,
    addedNs: { "observe(fn)": median(added("observe(fn)")), "@observe method": median(added("@observe method")) },
    addedRange: { "observe(fn)": range(added("observe(fn)")), "@observe method": range(added("@observe method")) },
    /** Export off against spans recorded, per round. */
    offVsRecorded: median(samples["@observe method"].map((v, r) => v / samples["@observe method, spans recorded"][r])),
    samples,
  };
}

runMain(main);
