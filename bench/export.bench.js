"use strict";
/**
 * Scenario 3: sustained export. Makes TOTAL spans (observe(fn) on a small sync
 * function, chunks of up to 512 calls with a yield to the event loop between
 * chunks, at BENCH_EXPORT_RATE spans/s or as fast as the SDK allows when 0)
 * against a receiver in another process, then
 * waits until the receiver has counted them all (or gives up after a timeout).
 * Samples this process's RSS every 250 ms; run with --expose-gc, it also takes the heap used
 * after a flush and a full GC once the warm-up is done and again once every span is delivered.
 *
 *   node bench/export.bench.js <apiUrl> <statsUrl> [apiKey] [organizationId]
 *
 * statsUrl answers GET /__stats with { spans } (bench/lib/backend-proc.js for
 * the real LocalBackend, bench/lib/sink.js for the counting sink).
 */
const { loadJudgeval, setImmediateP, getJson, runMain } = require("./lib/common.js");

const [apiUrl, statsUrl, apiKey = "bench-key", organizationId = "bench-org"] = process.argv.slice(2);
const TOTAL = Number(process.env.BENCH_EXPORT_SPANS ?? 1_000_000);
const WARMUP = Number(process.env.BENCH_EXPORT_WARMUP ?? 100_000);
const CHUNK = 512;
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 60_000);
const SAMPLE_MS = 250;
/** Spans sent (and waited for) before the measured run, so the receiver's JIT is warm too. */
const PREWARM = Number(process.env.BENCH_EXPORT_PREWARM ?? 0);
/** Offered load in spans per second; 0 makes spans as fast as the SDK allows. */
const RATE = Number(process.env.BENCH_EXPORT_RATE ?? 0);

function add(a, b) {
  return a + b;
}

/**
 * Diagnostics only, through the exporter's internals (guarded: undefined when they change):
 * every attempt the underlying OTLP exporter makes, by outcome, so a loss can be explained.
 */
function tallyAttempts(tracer) {
  const otlp = tracer.getSpanExporter()?.otlp;
  if (!otlp || typeof otlp.export !== "function") return undefined;
  const tally = { ok: 0, failed: {} };
  const inner = otlp.export.bind(otlp);
  otlp.export = (spans, done) =>
    inner(spans, (result) => {
      if (result.code === 0) tally.ok++;
      else {
        const reason = String(result.error?.message ?? "unknown").slice(0, 80);
        tally.failed[reason] = (tally.failed[reason] ?? 0) + 1;
      }
      done(result);
    });
  return tally;
}

/**
 * Spans the SDK dropped, as it reports them (its public diagnostic: a `dropped N spans: <reason>.`
 * warning at most every 10 s, and whatever is left at flush on shutdown), by reason.
 */
function droppedByReason(warnings) {
  const out = {};
  for (const w of warnings) {
    const m = /dropped (\d+) spans?: (.*?)\.?$/.exec(w);
    if (m) out[m[2]] = (out[m[2]] ?? 0) + Number(m[1]);
  }
  return out;
}

/** Heap used once the SDK has flushed and a full GC has run (undefined without --expose-gc). */
async function heapAfterFlush(tracer) {
  if (typeof global.gc !== "function") return undefined;
  await tracer.forceFlush();
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

async function main() {
  const { Tracer, observe } = loadJudgeval();
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  const tracer = Tracer.init({ projectName: "bench-export", apiUrl, apiKey, organizationId });
  await tracer.ready;
  if (!tracer.projectId) throw new Error(`project did not resolve: ${warnings.join("; ")}`);
  const traced = observe(add);
  await tracer.getSpanExporter()?.ready; // the OTLP exporter exists once the project is resolved
  const attempts = tallyAttempts(tracer);
  if (PREWARM > 0) {
    const before = (await getJson(`${statsUrl}/__stats`)).spans;
    for (let i = 0; i < PREWARM;) {
      for (const end = Math.min(PREWARM, i + CHUNK); i < end; i++) traced(i, 1);
      await new Promise((resolve) => setTimeout(resolve, 5)); // about 100k/s at most: a warm-up, not a test
    }
    await tracer.forceFlush();
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      if ((await getJson(`${statsUrl}/__stats`)).spans - before >= PREWARM) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (attempts) {
      attempts.ok = 0;
      attempts.failed = {};
    }
  }
  const base = (await getJson(`${statsUrl}/__stats`)).spans;
  const warningsBefore = warnings.length;

  let made = 0;
  const samples = [];
  const sample = () => samples.push({ t: Date.now(), made, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
  const sampler = setInterval(sample, SAMPLE_MS);

  const start = Date.now();
  let warmEnd = 0;
  let heapBaseline;
  let acc = 0;
  sample();
  while (made < TOTAL) {
    if (RATE > 0) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE);
      if (due <= made) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
    }
    const end = Math.min(TOTAL, made + CHUNK);
    for (; made < end;) acc += traced(made++, 1);
    if (warmEnd === 0 && made >= WARMUP) {
      heapBaseline = await heapAfterFlush(tracer);
      warmEnd = Date.now();
    }
    await setImmediateP();
  }
  const producedAt = Date.now();
  await tracer.forceFlush();
  const flushedAt = Date.now();

  // Wait for the receiver to count everything (it may still be decoding, or batches may be
  // waiting for a retry); once the count stops moving for 2 s, a flush retries whatever waits,
  // and the wait ends when that brings nothing more.
  let received = 0;
  let deliveredAt = flushedAt;
  let allFlushed = false;
  for (const deadline = Date.now() + DRAIN_TIMEOUT_MS; Date.now() < deadline;) {
    const now = (await getJson(`${statsUrl}/__stats`)).spans - base;
    if (now !== received) deliveredAt = Date.now();
    received = now;
    if (received >= TOTAL) break;
    if (Date.now() - deliveredAt > 2000) {
      allFlushed = await tracer.forceFlush();
      if ((await getJson(`${statsUrl}/__stats`)).spans - base === received) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  sample();
  clearInterval(sampler);
  const heapEnd = await heapAfterFlush(tracer);
  // Shutdown reports the drops not yet reported: still captured, so every span is accounted for.
  await tracer.shutdown();
  console.warn = warn;
  if (acc === -1) console.error("unreachable");
  const dropped = droppedByReason(warnings.slice(warningsBefore));
  const droppedReported = Object.values(dropped).reduce((a, b) => a + b, 0);

  const afterWarm = samples.filter((s) => s.made >= WARMUP);
  const rss = afterWarm.map((s) => s.rss);
  return {
    attempts,
    allFlushed: received >= TOTAL || allFlushed,
    dropped,
    droppedReported,
    // Spans neither counted by the receiver nor reported dropped by the SDK: should be 0.
    unaccounted: TOTAL - received - droppedReported,
    prewarm: PREWARM,
    offeredRate: RATE,
    total: TOTAL,
    received,
    lost: TOTAL - received,
    producedSeconds: (producedAt - start) / 1000,
    deliveredSeconds: (deliveredAt - start) / 1000,
    spansPerSecondDelivered: received / ((deliveredAt - start) / 1000),
    spansPerSecondProduced: TOTAL / ((producedAt - start) / 1000),
    steadyStateSpansPerSecond: (TOTAL - WARMUP) / ((producedAt - warmEnd) / 1000),
    // Heap used after a flush and a full GC: after the warm-up, and after every span was made and delivered.
    heap: heapBaseline && heapEnd ? { baseline: heapBaseline, end: heapEnd, calls: TOTAL - WARMUP } : undefined,
    rss: {
      warmupSpans: WARMUP,
      min: Math.min(...rss),
      max: Math.max(...rss),
      final: rss[rss.length - 1],
      spread: Math.max(...rss) - Math.min(...rss),
      samples: samples.length,
    },
    warnings,
    series: samples.map((s) => ({
      s: (s.t - start) / 1000,
      made: s.made,
      rssMB: +(s.rss / 2 ** 20).toFixed(1),
      heapMB: +(s.heapUsed / 2 ** 20).toFixed(1),
    })),
  };
}

runMain(main);
