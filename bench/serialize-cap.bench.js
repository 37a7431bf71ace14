"use strict";
/**
 * Scenario 4: serializing a ~1 MB nested input under the 64 KiB attribute cap
 * with the package's `safeSerialize` (and an explicit
 * `createSerializer({ maxBytes: 65536 })`), median ms per call. Also checks the
 * output is valid JSON within the cap. (bench/serialize.bench.ts, owned by the
 * serializer's author, covers small values too; this one runs against dist.)
 *
 *   node bench/serialize-cap.bench.js
 */
const { loadJudgeval, median, runMain } = require("./lib/common.js");

const CAP = 65536;
const CALLS = Number(process.env.BENCH_SERIALIZE_CALLS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

/** A search-result-like document of at least `bytes` bytes of JSON, several levels deep. */
function nestedDocument(bytes) {
  const results = [];
  const doc = { query: "benchmarks", page: { size: 0, cursor: "c-0" }, results };
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = {
      rank: i,
      url: `https://example.com/articles/${i}`,
      title: `Article number ${i} about tracing, batching and exporters`,
      score: (i % 97) / 97,
      published: new Date(Date.UTC(2024, i % 12, 1 + (i % 28))),
      author: { name: `Author ${i % 50}`, handles: [`@a${i % 50}`, `a${i % 50}@example.com`] },
      sections: [
        { heading: "Summary", text: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(2) },
        { heading: "Details", children: [{ k: "depth", v: [1, 2, { three: [3, { four: 4 }] }] }] },
      ],
    };
    results.push(item);
    size += JSON.stringify(item).length + 1;
  }
  doc.page.size = results.length;
  return doc;
}

function timeCalls(fn, input) {
  let out = "";
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) out = fn(input);
  return { ms: Number(process.hrtime.bigint() - start) / CALLS / 1e6, out };
}

async function main() {
  const { safeSerialize, createSerializer } = loadJudgeval();
  const input = nestedDocument(1 << 20);
  const inputBytes = Buffer.byteLength(JSON.stringify(input));
  const capped = createSerializer({ maxBytes: CAP });
  const variants = {
    safeSerialize: (v) => safeSerialize(v),
    "createSerializer({maxBytes: 65536})": (v) => capped(v),
    "JSON.stringify (uncapped, for scale)": (v) => JSON.stringify(v),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const outputs = {};
  for (const fn of Object.values(variants)) timeCalls(fn, input); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const { ms, out } = timeCalls(fn, input);
      samples[name].push(ms);
      outputs[name] = out;
    }
  }
  const checks = {};
  for (const name of Object.keys(variants).slice(0, 2)) {
    const out = outputs[name];
    let valid = true;
    try {
      JSON.parse(out);
    } catch {
      valid = false;
    }
    checks[name] = { outputBytes: Buffer.byteLength(out), validJson: valid, withinCap: Buffer.byteLength(out) <= CAP };
  }
  return {
    inputBytes,
    msPerCall: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
    checks,
    samples,
  };
}

runMain(main);
