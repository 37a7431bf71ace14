"use strict";
/**
 * `npm run bench:peers`: judgeval side by side with the other tracing SDKs, every one set up as
 * its documentation says and exporting over real HTTP to the same loopback sink (its own
 * process, counting what arrives). Writes the "Side by side with other tracing SDKs" section of
 * docs/benchmarks.md (between its markers; the rest of the file is `npm run bench`'s) and the
 * raw figures to bench/.build/peers.json.
 *
 * Each SDK runs in its own process; rounds are interleaved (one process works at a time, in a
 * rotating order), so background load hits every variant alike; ratios are per round.
 *
 * Environment: BENCH_QUICK=1 fewer rounds; PEERS=a,b,… a subset of the variants.
 */
const fs = require("node:fs");
const path = require("node:path");
const { fork, execFileSync } = require("node:child_process");
const { median } = require("../lib/common.js");

const ROOT = path.resolve(__dirname, "..", "..");
const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 3 : 9;
const STARTUP_ROUNDS = QUICK ? 3 : 7;
/** Target wall time of one round of one variant; the calls per round follow from the warm-up. */
const ROUND_MS = QUICK ? 150 : 400;
/** Calls of the memory check (scaled down for SDKs slower than 50 µs a call, and reported per 100k). */
const MEMORY_CALLS = 100_000;
const OUT = path.join(ROOT, "docs", "benchmarks.md");
const START = "<!-- peers:start -->";
const END = "<!-- peers:end -->";

const TRACING = ["ours", "otel-bare", "official", "langfuse", "langsmith", "braintrust", "traceloop", "openinference"];
const LLM = ["llm-plain", "llm-plain-traced", "llm-ours", "llm-langfuse", "llm-langsmith", "llm-braintrust"];
const only = process.env.PEERS?.split(",");
const pick = (list) => (only ? list.filter((v) => only.includes(v) || ["ours", "otel-bare", "llm-plain", "llm-plain-traced", "llm-ours"].includes(v)) : list);

const log = (m) => process.stderr.write(`[peers] ${m}\n`);

function ensureInstalled() {
  if (fs.existsSync(path.join(__dirname, "node_modules", "judgeval", "package.json"))) return;
  log("installing the peer SDKs into bench/peers (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: __dirname, stdio: ["ignore", "ignore", "inherit"] });
}

function env(extra) {
  const e = { ...process.env, ...extra };
  for (const key of Object.keys(e)) if (/^(JUDGMENT_|LANGFUSE_|LANGSMITH_|LANGCHAIN_|BRAINTRUST_|TRACELOOP_|OTEL_)/.test(key)) delete e[key];
  return { ...e, ...extra };
}

function server(script) {
  const child = fork(script, [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", ({ port }) => resolve({ child, url: `http://127.0.0.1:${port}` }));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

/** A worker process: send(msg) resolves with its next message. */
function worker(variant, sinkUrl, extraEnv) {
  const child = fork(path.join(__dirname, "worker.js"), [variant, sinkUrl], { execArgv: ["--expose-gc"], env: env(extraEnv), stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-3000)));
  const inbox = [];
  const waiting = [];
  child.on("message", (m) => (waiting.length ? waiting.shift().resolve(m) : inbox.push(m)));
  child.on("exit", (code) => waiting.splice(0).forEach((w) => w.reject(new Error(`${variant} exited (${code})\n${stderr}`))));
  const next = () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise((resolve, reject) => waiting.push({ resolve, reject })));
  return {
    variant,
    next,
    send: (msg) => {
      child.send(msg);
      return next();
    },
    finish: async () => {
      child.send({ cmd: "finish" });
      const { result } = await next();
      if (result.error) throw new Error(`${variant}: ${result.error}`);
      return result;
    },
  };
}

/** Interleaved rounds of `workloads` over the workers; per variant and workload: rounds of { ns, cpuNs }. */
async function interleave(workers, workloads, calibration, rounds, roundMs = ROUND_MS) {
  const out = {};
  for (let r = 0; r < rounds; r++) {
    for (const workload of workloads) {
      const order = workers.map((_, i) => workers[(i + r) % workers.length]);
      for (const w of order) {
        const calls = Math.max(QUICK ? 50 : 200, Math.round((roundMs * 1e6) / calibration[w.variant][workload]));
        const { round } = await w.send({ cmd: "round", workload, calls });
        ((out[w.variant] ??= {})[workload] ??= []).push(round);
      }
    }
  }
  return out;
}

const ratioStats = (rounds, base, key) => {
  const ratios = rounds.map((r, i) => r[key] / base[i][key]).sort((a, b) => a - b);
  return { median: median(ratios), min: ratios[0], max: ratios[ratios.length - 1] };
};

async function tracingScenario(sinkUrl) {
  const variants = pick(TRACING);
  const workers = variants.map((v) => worker(v, sinkUrl));
  const calibration = {};
  for (const w of workers) {
    const msg = await w.next();
    if (!msg.ready) throw new Error(`${w.variant}: ${JSON.stringify(msg)}`);
    calibration[w.variant] = msg.ready;
    log(`${w.variant} ready (add ${(msg.ready.add / 1000).toFixed(1)} µs, tool ${(msg.ready.tool / 1000).toFixed(1)} µs)`);
  }
  const rounds = await interleave(workers, ["add", "tool"], calibration, ROUNDS);
  const memory = {};
  for (const w of workers) {
    const calls = calibration[w.variant].add > 200_000 ? 10_000 : MEMORY_CALLS;
    memory[w.variant] = (await w.send({ cmd: "memory", calls })).memory;
    log(`${w.variant} memory checked`);
  }
  const results = {};
  for (const w of workers) results[w.variant] = await w.finish();
  return { variants, rounds, memory, results };
}

async function llmScenario(sinkUrl, llmUrl) {
  const variants = pick(LLM);
  const workers = variants.map((v) => worker(v, sinkUrl, { LLM_URL: llmUrl }));
  const calibration = {};
  for (const w of workers) {
    const msg = await w.next();
    if (!msg.ready) throw new Error(`${w.variant}: ${JSON.stringify(msg)}`);
    calibration[w.variant] = msg.ready;
  }
  // Same calls for every variant, so the CPU per call compares like for like.
  for (const v of variants) calibration[v] = calibration["llm-plain"];
  const rounds = await interleave(workers, ["chat", "stream10", "stream100"], calibration, ROUNDS, 3 * ROUND_MS);
  const results = {};
  for (const w of workers) results[w.variant] = await w.finish();
  return { variants, rounds, results };
}

async function startupScenario(sinkUrl) {
  const variants = pick(TRACING);
  const out = {};
  for (let r = 0; r < STARTUP_ROUNDS; r++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + r) % variants.length];
      const result = await new Promise((resolve, reject) => {
        const child = fork(path.join(__dirname, "startup.js"), [v, sinkUrl], { env: env({}), stdio: ["ignore", "ignore", "ignore", "ipc"] });
        let got;
        child.on("message", (m) => (got = m.result));
        child.on("exit", () => (got && !got.error ? resolve(got) : reject(new Error(`startup ${v}: ${got?.error}`))));
      });
      (out[v] ??= []).push(result);
    }
  }
  return { variants, rounds: out };
}

// ---------------------------------------------------------------- report

const us = (ns) => (ns >= 100_000 ? `${(ns / 1000).toFixed(0)} µs` : `${(ns / 1000).toFixed(2)} µs`);
const x = (v) => `${v.toFixed(2)}×`;
const range = (s) => `${x(s.median)} (${s.min.toFixed(2)}–${s.max.toFixed(2)}×)`;

function report({ machine, tracing, llm, startup, tookS }) {
  const lines = [];
  const p = (s = "") => lines.push(s);
  p("## Side by side with other tracing SDKs");
  p();
  p(`Generated by \`npm run bench:peers\` (bench/peers/run.js) on ${new Date().toISOString().slice(0, 10)}, in ${tookS.toFixed(0)} s; load average at start ${machine.load}. The peer SDKs are installed in bench/peers with their own package.json and lock, so their OpenTelemetry versions stay apart from this package's.`);
  p();
  p(`Every SDK runs in its own process, set up as its documentation says, and exports over real HTTP to the same loopback sink (bench/lib/sink.js, its own process; it answers each SDK's protocol — OTLP, LangSmith's run batches, Braintrust's log rows — and counts what arrives). Rounds are interleaved: one process works at a time, in a rotating order, ${ROUNDS} rounds per workload; a round is sized to about ${ROUND_MS} ms of that SDK's calls and ends with its flush, so export is inside the figure. **Ratios are per round against ours** (median, and the range over rounds): on a machine shared with other work they hold where absolute times drift. CPU is \`process.cpuUsage()\` of the SDK's process over the round (the sink's work is not in it).`);
  p();
  p("Workloads: **add** — sync `add(a, b)` returning a number; **tool** — an async tool call with a 2 KB input (`{ query, i }`) and a 200-character result, traced as the SDK traces a tool (or a plain function where it has no tool kind).");
  p();
  const base = tracing.rounds.ours;
  for (const workload of ["add", "tool"]) {
    p(`### ${workload === "add" ? "`add(a, b)`, sync" : "2 KB async tool call"}`);
    p();
    p("| SDK | What | Wall per call (median) | Wall vs ours, per round | CPU per call (median) | CPU vs ours, per round |");
    p("|---|---|---|---|---|---|");
    for (const v of tracing.variants) {
      const rounds = tracing.rounds[v][workload];
      const wall = median(rounds.map((r) => r.ns));
      const cpu = median(rounds.map((r) => r.cpuNs));
      const vs = v === "ours" ? "1.00×" : range(ratioStats(rounds, base[workload], "ns"));
      const vsCpu = v === "ours" ? "1.00×" : range(ratioStats(rounds, base[workload], "cpuNs"));
      p(`| ${v} | ${tracing.results[v].info} | ${us(wall)} | ${vs} | ${us(cpu)} | ${vsCpu} |`);
    }
    p();
  }
  p("Delivered: spans (runs, rows) the sink counted against calls made after warm-up.");
  p();
  p("| SDK | Calls | Delivered | Export bytes per call |");
  p("|---|---|---|---|");
  for (const v of tracing.variants) {
    const r = tracing.results[v];
    p(`| ${v} | ${r.made.toLocaleString("en-US")} | ${r.delivered.toLocaleString("en-US")} | ${(r.exportBytes / Math.max(1, r.delivered)).toFixed(0)} B |`);
  }
  p();
  p("### Memory");
  p();
  p(`Heap used and RSS after a full GC, before and after ${MEMORY_CALLS.toLocaleString("en-US")} \`add\` calls and a flush (10,000 calls, scaled to 100k, for SDKs slower than 200 µs a call in the warm-up), same process as above.`);
  p();
  p("| SDK | Calls | Heap before | Heap after | Heap growth per 100k calls | RSS after |");
  p("|---|---|---|---|---|---|");
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  for (const v of tracing.variants) {
    const m = tracing.memory[v];
    p(`| ${v} | ${m.calls.toLocaleString("en-US")} | ${mb(m.heapBefore)} | ${mb(m.heapAfter)} | ${mb(((m.heapAfter - m.heapBefore) * 100_000) / m.calls)} | ${mb(m.rssAfter)} |`);
  }
  p();
  p("### Start-up");
  p();
  p(`A fresh process per run: \`require\` of what the SDK's documented setup imports, then its initialisation with credentials (export to the sink) up to where a first span can be made. ${STARTUP_ROUNDS} runs per SDK, interleaved; medians, and the ratio to bare OpenTelemetry (\`require\` of sdk-trace, the OTLP/proto exporter and context-async-hooks, then a TracerProvider with a BatchSpanProcessor and the context manager, registered) per run.`);
  p();
  p("| SDK | require | init | total | total vs bare OTel, per run |");
  p("|---|---|---|---|---|");
  const sb = startup.rounds["otel-bare"];
  for (const v of startup.variants) {
    const rs = startup.rounds[v];
    const total = (r) => r.requireMs + r.initMs;
    const ratios = rs.map((r, i) => total(r) / total(sb[i])).sort((a, b) => a - b);
    p(`| ${v} | ${median(rs.map((r) => r.requireMs)).toFixed(1)} ms | ${median(rs.map((r) => r.initMs)).toFixed(1)} ms | ${median(rs.map(total)).toFixed(1)} ms | ${x(median(ratios))} (${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}×) |`);
  }
  p();
  if (llm) {
    p("### Wrapped OpenAI client: CPU added per call");
    p();
    p(`openai (bench/peers's version for every variant) against a loopback OpenAI-compatible server (bench/peers/llm-server.js, its own process): \`chat.completions.create\` non-streaming, and streams of 10 and 100 content chunks read to the end (with \`include_usage\`). The figure is the CPU time of the client process per call (\`process.cpuUsage\`, so the server's load does not blur it), minus the unwrapped client's in the same round; export to the sink and its flush included. Per-chunk cost is the slope between the 10- and 100-chunk streams.`);
    p();
    p("Two baselines: the unwrapped client alone, and the unwrapped client in a process where judgeval traces other work (`plain-traced`). On Node < 24 an SDK's AsyncLocalStorage context runs promise hooks on every promise once it is in use, and the OpenAI client makes many per call: that cost comes with any OpenTelemetry-based context (Langfuse's too), not with wrapping, so the wrapper's own cost is measured against `plain-traced`. Signed: on a loaded machine a median difference can come out below zero.");
    p();
    p("| Variant | Non-streaming: CPU added | Stream, 10 chunks | Stream, 100 chunks | Per chunk | Non-streaming vs plain-traced | Delivered / calls |");
    p("|---|---|---|---|---|---|---|");
    const plain = llm.rounds["llm-plain"];
    const traced = llm.rounds["llm-plain-traced"];
    const signed = (ns) => `${ns >= 0 ? "+" : "−"}${us(Math.abs(ns))}`;
    for (const v of llm.variants) {
      const r = llm.rounds[v];
      const added = (w, base = plain) => median(r[w].map((x, i) => x.cpuNs - base[w][i].cpuNs));
      if (v === "llm-plain") {
        p(`| unwrapped (${llm.results[v].info}) | ${us(median(r.chat.map((x) => x.cpuNs)))} total | ${us(median(r.stream10.map((x) => x.cpuNs)))} total | ${us(median(r.stream100.map((x) => x.cpuNs)))} total | — | — | — |`);
        continue;
      }
      const res = llm.results[v];
      const vsTraced = traced && v !== "llm-plain-traced" ? signed(added("chat", traced)) : "—";
      p(`| ${res.info} | ${signed(added("chat"))} | ${signed(added("stream10"))} | ${signed(added("stream100"))} | ${signed((added("stream100") - added("stream10")) / 90)} | ${vsTraced} | ${res.delivered.toLocaleString("en-US")} / ${res.made.toLocaleString("en-US")} |`);
    }
    p();
  }
  p("Rerun: `npm run bench:peers` (installs bench/peers with `npm ci` on first use; `BENCH_QUICK=1` for a short try).");
  return lines.join("\n");
}

function writeSection(section) {
  const doc = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "# Benchmarks\n";
  const block = `${START}\n${section}\n${END}`;
  const at = doc.indexOf(START);
  const next = at >= 0 ? doc.slice(0, at) + block + doc.slice(doc.indexOf(END) + END.length) : `${doc.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(OUT, next);
}

async function main() {
  const started = Date.now();
  ensureInstalled();
  const machine = { load: require("node:os").loadavg().map((l) => l.toFixed(2)).join(" / ") };
  const sink = await server(path.join(__dirname, "..", "lib", "sink.js"));
  const llmServer = await server(path.join(__dirname, "llm-server.js"));
  try {
    log("tracing workloads");
    const tracing = await tracingScenario(sink.url);
    log("start-up");
    const startup = await startupScenario(sink.url);
    log("wrapped LLM clients");
    const llm = await llmScenario(sink.url, llmServer.url);
    const all = { machine, tracing, llm, startup, tookS: (Date.now() - started) / 1000 };
    fs.mkdirSync(path.join(__dirname, "..", ".build"), { recursive: true });
    fs.writeFileSync(path.join(__dirname, "..", ".build", "peers.json"), JSON.stringify(all, null, 1));
    writeSection(report(all));
    log(`wrote ${path.relative(ROOT, OUT)} in ${all.tookS.toFixed(0)} s`);
  } finally {
    sink.child.kill();
    llmServer.child.kill();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
