/**
 * Cost of the default serializer on the hot path (every @observe call
 * serializes its input and output). Run:
 *   node -r ./bench/lib/ts-source.js bench/serialize.bench.ts
 * (ts-node must map the `.js` import specifiers of lib/ to their `.ts`
 * sources: `"ts-node": { "experimentalResolver": true }` in tsconfig.json.)
 * Targets: a small plain object well under 1 µs (JSON.stringify is the bar);
 * a 1 MB nested input under the 64 KiB cap in ≤ 2 ms (issue 7).
 */
import { safeSerialize } from "../lib/serialize/index.js";

interface Result {
  name: string;
  perOpNs: number;
}

/** Median ns/op over several timed rounds, after a warm-up round. */
function measure(name: string, ops: number, fn: () => unknown): Result {
  const rounds: number[] = [];
  let sink = 0;
  for (let round = 0; round < 8; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) sink += (fn() as string).length;
    const ns = Number(process.hrtime.bigint() - start) / ops;
    if (round > 0) rounds.push(ns);
  }
  rounds.sort((a, b) => a - b);
  if (sink < 0) console.log(sink); // keeps the calls observable to the optimizer
  return { name, perOpNs: rounds[rounds.length >> 1] };
}

function nestedInput(targetBytes: number): unknown {
  const items: unknown[] = [];
  const doc = { kind: "search-results", items };
  for (let i = 0; JSON.stringify(items).length < targetBytes; i += 50) {
    for (let j = 0; j < 50; j++) {
      items.push({
        id: i + j,
        title: `Result ${i + j}: a moderately long title with ünïcödé`,
        score: Math.random(),
        tags: ["alpha", "beta", "gamma"],
        meta: { source: "web", fetched: new Date(0), ok: true, nested: { depth: [1, 2, { x: null }] } },
      });
    }
  }
  return doc;
}

const small = { a: 1, b: "x" };
const message = { role: "user", content: "What is the weather in Paris today?", name: "alice", tokens: [1, 2, 3] };
const big = nestedInput(1 << 20);
const bigString = "lorem ipsum ".repeat(90_000);

const results = [
  measure("JSON.stringify {a:1,b:'x'}", 1_000_000, () => JSON.stringify(small)),
  measure("safeSerialize {a:1,b:'x'}", 1_000_000, () => safeSerialize(small)),
  measure("safeSerialize 'hello'", 1_000_000, () => safeSerialize("hello")),
  measure("safeSerialize 42", 1_000_000, () => safeSerialize(42)),
  measure("JSON.stringify chat message", 300_000, () => JSON.stringify(message)),
  measure("safeSerialize chat message", 300_000, () => safeSerialize(message)),
  measure(`safeSerialize ${(JSON.stringify(big).length / 1e6).toFixed(2)} MB nested`, 200, () => safeSerialize(big)),
  measure(`safeSerialize ${(bigString.length / 1e6).toFixed(2)} MB string`, 200, () => safeSerialize(bigString)),
  measure(`JSON.stringify ${(JSON.stringify(big).length / 1e6).toFixed(2)} MB nested (uncapped, for scale)`, 50, () => JSON.stringify(big)),
];

for (const { name, perOpNs } of results) {
  const figure = perOpNs >= 1e5 ? `${(perOpNs / 1e6).toFixed(3)} ms/op` : `${perOpNs.toFixed(0)} ns/op`;
  console.log(`${name.padEnd(62)} ${figure}`);
}
