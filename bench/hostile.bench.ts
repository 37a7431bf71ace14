/**
 * Wrong-type input costs bounded time: each call of issue 12 item 5 (a string where an object
 * belongs, a typed array as a carrier) in ms, median of several runs, against a 5 ms target;
 * and `continueTrace` with an ordinary carrier in ns per call (it must not get slower).
 * Runs against the build (dist, or the snapshot `npm run bench` took).
 *
 *   npm run build && node -r ./bench/lib/ts-source.js bench/hostile.bench.ts
 */
import path from "node:path";

type Judgeval = typeof import("../lib/index.js");
const pkg = process.env.JUDGEVAL_BENCH_PKG ?? path.resolve(__dirname, "../dist/cjs/index.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tracer } = require(path.resolve(pkg)) as Judgeval;

const RUNS = Number(process.env.BENCH_ROUNDS ?? 7);
const CARRIER_CALLS = Number(process.env.BENCH_CARRIER_CALLS ?? 200_000);
const TARGET_MS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  // A recording tracer that exports nowhere: what is timed is the call, not delivery.
  const tracer = Tracer.init({
    projectName: "bench",
    spanProcessors: [{ onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const big = "x".repeat(4e6);
  const typed = new Uint8Array(4 * 1024 * 1024);
  const cases: Array<[string, () => void]> = [
    ['setAttributes("x".repeat(4e6))', () => Tracer.span("s", () => Tracer.setAttributes(big as never))],
    ["asyncEvaluate with a 4 MB string example", () => Tracer.span("s", () => Tracer.asyncEvaluate("judge", big as never))],
    ["continueTrace with a 4 MB Uint8Array", () => Tracer.continueTrace(typed as never, () => undefined)],
  ];
  const lines: string[] = [];
  for (const [name, fn] of cases) {
    fn(); // warm-up
    const ms = median(Array.from({ length: RUNS }, () => timeMs(fn)));
    lines.push(`${name.padEnd(44)} ${ms.toFixed(3).padStart(10)} ms   ${ms < TARGET_MS ? "ok" : "MISS"} (target < ${TARGET_MS} ms)`);
  }
  const carrier = {
    host: "api.example.com",
    "user-agent": "bench",
    accept: "application/json",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    tracestate: "vendor=abc",
    baggage: "judgment.session_id=s-1,judgment.customer_id=c-1,other=x",
  };
  const carrierNs = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CARRIER_CALLS; i++) Tracer.continueTrace(carrier, () => i);
    return Number(process.hrtime.bigint() - start) / CARRIER_CALLS;
  };
  carrierNs();
  const ns = median(Array.from({ length: RUNS }, carrierNs));
  lines.push(`${"continueTrace with an ordinary carrier".padEnd(44)} ${ns.toFixed(0).padStart(10)} ns per call`);
  console.log(lines.join("\n"));
  await tracer.shutdown(1000);
}

void main();
