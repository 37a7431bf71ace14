"use strict";
/**
 * Scenario 2: what `@observe` / `observe(fn)` adds to a call when there are no
 * credentials (Tracer.init without a key: export off, nothing consumes spans),
 * against the same function called plainly. Tight synchronous loops; each
 * variant gets its own freshly compiled loop so they do not share type
 * feedback.
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

/** A loop compiled just for one variant. */
function loopFor(fn) {
  // eslint-disable-next-line no-new-func
  const loop = new Function("fn", "n", "let acc = 0; for (let i = 0; i < n; i++) acc += fn(i, 1); return acc;");
  return () => {
    const start = process.hrtime.bigint();
    const acc = loop(fn, CALLS);
    const ns = Number(process.hrtime.bigint() - start) / CALLS;
    if (acc === -1) console.error("unreachable");
    return ns;
  };
}

async function main() {
  for (const key of ["JUDGMENT_API_KEY", "JUDGMENT_ORG_ID", "JUDGMENT_API_URL"]) delete process.env[key];
  const { Tracer, observe } = loadJudgeval();
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  const tracer = Tracer.init({ projectName: "bench" });
  await tracer.ready;
  console.warn = warn;

  const { makeCalculator } = require(path.resolve(process.env.BENCH_DECORATED_JS));
  const calc = makeCalculator(observe);
  const variants = {
    plain: loopFor(add),
    "observe(fn)": loopFor(observe(add)),
    "@observe method": loopFor((a, b) => calc.add(a, b)),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const run of Object.values(variants)) run(); // warm-up
  // Interleaved rounds, so drift (other load, frequency) hits every variant alike.
  for (let r = 0; r < ROUNDS; r++) for (const [name, run] of Object.entries(variants)) samples[name].push(run());
  const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  return {
    recording: tracer.recording,
    warnings: warnings.length,
    nsPerCall: ns,
    addedNs: { "observe(fn)": ns["observe(fn)"] - ns.plain, "@observe method": ns["@observe method"] - ns.plain },
    samples,
  };
}

runMain(main);
