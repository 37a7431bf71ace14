"use strict";
/**
 * `npm run bench:load` (and the last step of `npm run bench`): an HTTP agent server held at
 * saturation by autocannon, uninstrumented, with bare OpenTelemetry and with judgeval, in one
 * run, on this Node and on Node 24 (whose AsyncLocalStorage runs on AsyncContextFrame rather than
 * promise hooks). Each variant is its own server process (bench/load/server.js: 10 spans a
 * request, two of them model calls to a loopback provider replaying recorded chat completions);
 * spans go to the counting sink (bench/lib/sink.js), its own process. After a warm-up of each, the
 * variants are loaded in turn, round by round in a rotating order, so drifting background load
 * hits all alike. On a machine with 2 cores or more (and `taskset`), the server under load has
 * core 0 to itself; the load generator, the provider and the sink share the others, so their work
 * is not counted against the server.
 *
 * Reports throughput, p50/p99 latency (every response's time, exact percentiles), the server's
 * RSS sampled while it is loaded, and spans delivered (final copies at the sink) vs made
 * (requests handled × 10). Writes the "Load" section of docs/benchmarks.md (between its markers)
 * and the raw figures to bench/.build/load.json.
 *
 * Environment:
 *   BENCH_LOAD_SECONDS=60       loaded seconds per variant, split over the rounds
 *   BENCH_LOAD_ROUNDS=3         rounds per variant
 *   BENCH_LOAD_WARMUP=5         warm-up seconds per variant (not measured)
 *   BENCH_LOAD_CONNECTIONS=16   concurrent connections of the load generator
 *   BENCH_LOAD_RUNTIMES=current,node24   Nodes to run the servers on: `current` (this one) or a
 *                               runtime of scripts/runtime.sh (fetched into its cache on first use)
 *   BENCH_LOAD_PIN=0            no CPU pinning
 *   JUDGEVAL_BENCH_PKG=path     build under test (default dist/cjs)
 *   BENCH_OUT=path              report to update (default docs/benchmarks.md)
 *   BENCH_LOAD_PROFILE=dir      CPU profile of each server process, into dir/<variant>/
 */
const fs = require("node:fs");
const path = require("node:path");
const os = require("node:os");
const { execFileSync, fork } = require("node:child_process");
const autocannon = require("autocannon");
const { median } = require("../lib/common.js");
const { describeMachine } = require("../lib/machine.js");

const ROOT = path.resolve(__dirname, "..", "..");
const BUILD = path.join(ROOT, "bench", ".build", "load");
const OUT = path.resolve(ROOT, process.env.BENCH_OUT ?? "docs/benchmarks.md");
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_LOAD_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 16);
const PROFILE = process.env.BENCH_LOAD_PROFILE ? path.resolve(process.env.BENCH_LOAD_PROFILE) : undefined;
const PKG = path.resolve(ROOT, process.env.JUDGEVAL_BENCH_PKG ?? "dist/cjs");
const KINDS = ["plain", "otel", "judgeval"];
const LABELS = { plain: "uninstrumented", otel: "bare OpenTelemetry", judgeval: "judgeval" };
const CORES = os.cpus().length;
const TARGETS = { throughputLossPct: 3, p99AddedMs: 0.2, rssDriftMB: 10 };
const START = "<!-- load:start -->";
const END = "<!-- load:end -->";
const BODY = JSON.stringify({ question: "What's the weather like in Shanghai today?" });

const log = (m) => process.stderr.write(`[load] ${m}\n`);

function env(extra = {}) {
  const e = { ...process.env };
  for (const key of Object.keys(e)) if (/^(JUDGMENT_|OTEL_)/.test(key)) delete e[key];
  return { ...e, JUDGEVAL_BENCH_PKG: PKG, ...extra };
}

/** Forks `script`; resolves with the child once it sends { port }, and its other messages to `onMessage`. */
function start(script, args, { execArgv = [], execPath, extraEnv, onMessage = () => {} } = {}) {
  const child = fork(path.join(ROOT, script), args, { env: env(extraEnv), execArgv, execPath, stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.on("message", (msg) => {
      if (msg.port !== undefined) resolve({ child, url: `http://127.0.0.1:${msg.port}` });
      else if (msg.result?.error) reject(new Error(`${script} ${args.join(" ")}: ${msg.result.error}`));
      else onMessage(msg);
    });
    child.once("exit", (code) => reject(new Error(`${script} ${args.join(" ")} exited (${code})\n${stderr}`)));
  });
}

/** The Nodes to run the servers on: [{ name, node, major }], duplicates of a major left out. */
function runtimes() {
  const out = [];
  for (const name of (process.env.BENCH_LOAD_RUNTIMES ?? "current,node24").split(",").filter(Boolean)) {
    const node =
      name === "current"
        ? process.execPath
        : execFileSync("bash", [path.join(ROOT, "scripts", "runtime.sh"), name], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
          }).trim();
    const major = Number(execFileSync(node, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).trim());
    if (!out.some((r) => r.major === major)) out.push({ node, major });
  }
  return out;
}

/**
 * Pins every thread of `pid` to `cpus` (a taskset list), when pinning is on: the server under
 * test gets core 0 alone, everything else the other cores. False when it is off or not possible.
 */
function pin(pid, cpus) {
  if (process.env.BENCH_LOAD_PIN === "0" || CORES < 2) return false;
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds `pid` has used so far (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
  } catch {
    return 0;
  }
}

function compileAgent() {
  const ts = require("typescript");
  const source = fs.readFileSync(path.join(ROOT, "bench", "fixtures", "agent.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: false },
  });
  fs.mkdirSync(BUILD, { recursive: true });
  const file = path.join(BUILD, "agent.js");
  fs.writeFileSync(file, outputText);
  return file;
}

/** Drives `url` for `seconds`; resolves with the 2xx count, the other outcomes and every 2xx latency (ms). */
function drive(url, seconds, latencies) {
  return new Promise((resolve, reject) => {
    let ok = 0;
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: `${url}/agent`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: BODY,
        connections: CONNECTIONS,
        duration: seconds,
      },
      (err, result) => {
        if (err) return reject(err);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({ ok, seconds: elapsed, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status < 200 || status >= 300) return;
      ok++;
      latencies?.push(ms);
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  if (!fs.existsSync(path.join(PKG, "index.js"))) throw new Error(`${PKG} is missing: run \`npm run build\` first.`);
  const began = Date.now();
  const agent = compileAgent();
  const nodes = runtimes();
  // One row per runtime and variant; the first runtime's keys are the variants' names.
  const keys = [];
  const rowInfo = {};
  for (const [i, runtime] of nodes.entries())
    for (const kind of KINDS) {
      const key = i === 0 ? kind : `${kind}-node${runtime.major}`;
      keys.push(key);
      rowInfo[key] = {
        kind,
        runtime,
        label: `${LABELS[kind]}, Node ${runtime.major}`,
        base: i === 0 ? "plain" : `plain-node${runtime.major}`,
      };
    }
  const others = `1-${CORES - 1}`;
  const pinned = pin(process.pid, others);
  // what the load generator, the provider and the sink use: they must not run short of CPU themselves
  const loadSideCpu = () => {
    const own = process.cpuUsage();
    return (own.user + own.system) / 1e6 + cpuSecondsOf(provider.child.pid) + cpuSecondsOf(sink.child.pid);
  };
  const provider = await start("bench/load/provider.js", [], { execArgv: ["-r", path.join(ROOT, "bench", "lib", "ts-source.js")] });
  const sink = await start("bench/lib/sink.js", [], { extraEnv: { SINK_COUNT_ENDED: "1" } });
  if (pinned) for (const proc of [provider, sink]) pin(proc.child.pid, others);
  const servers = {};
  const samples = Object.fromEntries(keys.map((v) => [v, []]));
  let loaded;
  const usageReplies = {};
  let finishedAll = false;
  const usage = (variant) =>
    new Promise((resolve, reject) => {
      const { child } = servers[variant];
      if (child.exitCode !== null) return reject(new Error(`the ${variant} server exited (${child.exitCode})`));
      usageReplies[variant] = resolve;
      child.send({ cmd: "usage" });
    });
  try {
    for (const variant of keys) {
      const { kind, runtime } = rowInfo[variant];
      servers[variant] = await start("bench/load/server.js", [kind, provider.url, sink.url, variant], {
        execPath: runtime.node,
        extraEnv: { BENCH_AGENT_JS: agent },
        execArgv: PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.join(PROFILE, variant)}`] : [],
        onMessage: (msg) => {
          if (msg.rss !== undefined && loaded === variant) samples[variant].push({ at: msg.at, rss: msg.rss });
          if (msg.usage) usageReplies[variant]?.(msg.usage);
        },
      });
      if (pinned) pin(servers[variant].child.pid, "0");
    }
    for (const variant of keys) {
      log(`warm-up: ${rowInfo[variant].label}, ${WARMUP} s`);
      await drive(servers[variant].url, WARMUP);
    }
    const runs = Object.fromEntries(
      keys.map((v) => [
        v,
        { ok: 0, seconds: 0, errors: 0, timeouts: 0, non2xx: 0, cpuUs: 0, loadSideCpu: 0, handled: 0, latencies: [], rounds: [] },
      ]),
    );
    const perRound = Math.max(1, Math.round(SECONDS / ROUNDS));
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < keys.length; k++) {
        const variant = keys[(r + k) % keys.length];
        log(`round ${r + 1}/${ROUNDS}: ${rowInfo[variant].label}, ${perRound} s`);
        const run = runs[variant];
        const latencies = [];
        const before = await usage(variant);
        const loadSide = loadSideCpu();
        loaded = variant;
        const out = await drive(servers[variant].url, perRound, latencies);
        loaded = undefined;
        const after = await usage(variant);
        run.cpuUs += after.cpuUs - before.cpuUs;
        run.loadSideCpu += loadSideCpu() - loadSide;
        run.handled += after.handled - before.handled;
        for (const key of ["ok", "seconds", "errors", "timeouts", "non2xx"]) run[key] += out[key];
        for (const ms of latencies) run.latencies.push(ms);
        latencies.sort((a, b) => a - b);
        run.rounds.push({ round: r, rps: out.ok / out.seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
      }
    }
    const finished = {};
    for (const variant of keys) {
      finished[variant] = await new Promise((resolve, reject) => {
        const child = servers[variant].child;
        child.on("message", (msg) => msg.result && (msg.result.error ? reject(new Error(msg.result.error)) : resolve(msg.result)));
        child.once("exit", (code) => reject(new Error(`the ${variant} server exited (${code}) before reporting`)));
        child.send({ cmd: "finish" });
      });
    }
    finishedAll = true;
    const sinkStats = await (await fetch(`${sink.url}/__stats`)).json();
    const results = summarize(keys, rowInfo, runs, samples, finished, sinkStats);
    results.pinned = pinned;
    results.loadSideCores = Math.max(...Object.values(results.rows).map((r) => r.loadSideCores));
    results.seconds = (Date.now() - began) / 1000;
    fs.writeFileSync(path.join(BUILD, "..", "load.json"), JSON.stringify(results, null, 2));
    writeSection(results);
    for (const line of table(results)) log(line);
    log(`done in ${results.seconds.toFixed(0)} s → ${path.relative(ROOT, OUT)}`);
  } finally {
    // a server that reported exits by itself (writing its CPU profile, if any): wait for it
    await Promise.all(
      Object.values(servers).map(({ child }) =>
        child.exitCode !== null || !finishedAll ? undefined : new Promise((resolve) => child.once("exit", resolve)),
      ),
    );
    for (const proc of [...Object.values(servers), provider, sink]) if (proc.child.exitCode === null) proc.child.kill();
  }
}

function summarize(keys, rowInfo, runs, samples, finished, sinkStats) {
  const rows = {};
  for (const variant of keys) {
    const run = runs[variant];
    const sorted = run.latencies.sort((a, b) => a - b);
    const rss = samples[variant].map((s) => s.rss / 2 ** 20);
    const third = Math.max(1, Math.floor(rss.length / 3));
    const made = finished[variant].handled * finished[variant].spansPerRequest;
    const tag = sinkStats.byTag[variant] ?? { spans: 0, ended: 0 };
    const { kind, base, label, runtime } = rowInfo[variant];
    rows[variant] = {
      label,
      kind,
      base,
      node: runtime.major,
      requests: run.ok,
      failed: run.errors + run.timeouts + run.non2xx + finished[variant].failed,
      rps: run.ok / run.seconds,
      cpuUsPerRequest: run.cpuUs / run.handled,
      loadSideCores: run.loadSideCpu / run.seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      rounds: run.rounds,
      rss: {
        samples: rss.length,
        first: rss[0],
        last: rss[rss.length - 1],
        max: Math.max(...rss),
        drift: median(rss.slice(-third)) - median(rss.slice(0, third)),
        series: rss.map((mb) => +mb.toFixed(1)),
      },
      spans: kind === "plain" ? undefined : { made, delivered: tag.ended ?? 0, copies: tag.spans },
    };
  }
  for (const row of Object.values(rows)) {
    if (row.kind === "plain") continue;
    const base = rows[row.base];
    row.throughputLossPct = (1 - row.rps / base.rps) * 100;
    row.p99AddedMs = row.p99 - base.p99;
    row.roundLossPct = median(row.rounds.map((rd) => (1 - rd.rps / base.rounds.find((b) => b.round === rd.round).rps) * 100));
  }
  const verdict = {};
  for (const [key, j] of Object.entries(rows))
    if (j.kind === "judgeval")
      verdict[key] = {
        node: j.node,
        throughput: j.throughputLossPct <= TARGETS.throughputLossPct,
        p99: j.p99AddedMs <= TARGETS.p99AddedMs,
        rss: Math.abs(j.rss.drift) <= TARGETS.rssDriftMB,
        spans: j.spans.delivered === j.spans.made,
      };
  return {
    date: new Date().toISOString(),
    machine: describeMachine(),
    settings: { seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP, connections: CONNECTIONS },
    targets: TARGETS,
    rows,
    verdict,
  };
}

const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : "–");
const int = (n) => Math.round(n).toLocaleString("en-US");
const signed = (n, digits) => `${n >= 0 ? "+" : "−"}${Math.abs(n).toFixed(digits)}`;

function table(results) {
  const lines = [
    "| variant | requests/s | vs uninstrumented | p50 ms | p99 ms | p99 vs uninstrumented | server CPU per request | RSS MB (first → last, max; drift) | spans delivered / made |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
  ];
  for (const r of Object.values(results.rows)) {
    const vs = r.kind === "plain" ? "–" : `${signed(-r.throughputLossPct, 1)} % (rounds: ${signed(-r.roundLossPct, 1)} %)`;
    const p99 = r.kind === "plain" ? "–" : `${signed(r.p99AddedMs, 2)} ms`;
    const spans = r.spans ? `${int(r.spans.delivered)} / ${int(r.spans.made)}` : "–";
    lines.push(
      `| ${r.label} | ${int(r.rps)} | ${vs} | ${f2(r.p50)} | ${f2(r.p99)} | ${p99} | ${int(r.cpuUsPerRequest)} µs | ${f1(r.rss.first)} → ${f1(r.rss.last)}, ${f1(r.rss.max)}; ${signed(r.rss.drift, 1)} | ${spans} |`,
    );
  }
  return lines;
}

/** judgeval beside bare OpenTelemetry: what recording judgment spans costs over tracing alone. */
function againstBare(rows) {
  const judgevals = Object.values(rows).filter((r) => r.kind === "judgeval");
  const parts = judgevals.map((judgeval) => {
    const otel = Object.values(rows).find((r) => r.kind === "otel" && r.node === judgeval.node);
    return (
      `on Node ${judgeval.node} judgeval ${signed((judgeval.rps / otel.rps - 1) * 100, 1)} % requests/s, ` +
      `p99 ${signed(judgeval.p99 - otel.p99, 2)} ms, ${signed(judgeval.cpuUsPerRequest - otel.cpuUsPerRequest, 0)} µs of server CPU per request`
    );
  });
  return (
    `Against bare OpenTelemetry: ${parts.join("; ")} (10 spans), while judgeval also records inputs, outputs and the model calls' JSON. ` +
    "With a loopback provider that answers at once, the server does almost nothing but trace, so any tracer's cost shows in full as lost throughput."
  );
}

function section(results) {
  const { settings, targets, verdict, machine } = results;
  const mark = (ok) => (ok ? "pass" : "**miss**");
  return [
    START,
    "## Load",
    "",
    `An HTTP agent server at saturation: ${settings.connections} connections from autocannon for ${settings.seconds} s per variant ` +
      `(${settings.rounds} interleaved rounds, after a ${settings.warmup} s warm-up each). Each request runs the agent of ` +
      "`bench/fixtures/agent.ts`: 10 spans (an `@observe` handler, planning and answering steps, four tools, two model calls " +
      "through the wrapped OpenAI client to a loopback provider replaying recorded chat completions). Bare OpenTelemetry is " +
      "`@opentelemetry/sdk-trace` 3.x with a `BatchSpanProcessor` (judgeval's batching settings) and the OTLP/proto exporter; " +
      "both export to the counting sink, in its own process. Each variant runs on this Node and on Node 24: on Node 22 " +
      "AsyncLocalStorage (every tracer's context propagation) runs on promise hooks, which tax every promise the app makes; " +
      "Node 24 runs it on AsyncContextFrame. judgeval also records each span's input and output and the " +
      "model calls' request and response JSON, which the bare OpenTelemetry spans do not carry. Throughput and p99 are " +
      "compared with the uninstrumented server (in brackets: the median of the per-round ratios). Spans delivered count " +
      "final copies at the sink (judgeval's partial copies of open spans aside); made is requests handled × 10.",
    "",
    `Run ${results.date.slice(0, 16).replace("T", " ")} UTC on ${machine.cpu}, ${machine.cores} cores (load average ${machine.loadAverage[0]} at the start), ${results.seconds.toFixed(0)} s in all. ` +
      (results.pinned
        ? "The server under load is pinned to core 0 (taskset), the load generator, the provider and the sink to the other cores " +
          `(they used at most ${results.loadSideCores.toFixed(2)} of the ${CORES - 1} core${CORES > 2 ? "s" : ""} while a server was loaded). `
        : "Nothing pinned: the load generator, the provider and the sink compete with the server for the cores. ") +
      "Server CPU per request is the server process's CPU time over the requests it handled while loaded: on a busy machine it moves less than the throughput does. " +
      "Where that CPU goes, by part of tracing: the attribution below the table.",
    "",
    ...table(results),
    "",
    `| target (judgeval vs uninstrumented, same Node) | ${Object.values(verdict)
      .map((v) => `Node ${v.node}`)
      .join(" | ")} |`,
    `| --- | ${Object.values(verdict)
      .map(() => "---")
      .join(" | ")} |`,
    `| throughput loss ≤ ${targets.throughputLossPct} % | ${Object.values(verdict)
      .map((v) => mark(v.throughput))
      .join(" | ")} |`,
    `| p99 ≤ +${targets.p99AddedMs} ms | ${Object.values(verdict)
      .map((v) => mark(v.p99))
      .join(" | ")} |`,
    `| RSS flat (last third vs first third of the loaded samples within ±${targets.rssDriftMB} MB) | ${Object.values(verdict)
      .map((v) => mark(v.rss))
      .join(" | ")} |`,
    `| every span delivered | ${Object.values(verdict)
      .map((v) => mark(v.spans))
      .join(" | ")} |`,
    "",
    againstBare(results.rows),
    "",
    "Rerun: `npm run bench:load` (it builds first; about seven minutes with the defaults; `BENCH_LOAD_SECONDS`, " +
      "`BENCH_LOAD_ROUNDS`, `BENCH_LOAD_WARMUP`, `BENCH_LOAD_CONNECTIONS`, `BENCH_LOAD_RUNTIMES` and `BENCH_LOAD_PIN` change the run). Raw figures: `bench/.build/load.json`.",
    END,
  ].join("\n");
}

/** Replaces the Load section of the report (between its markers), or appends it. */
function writeSection(results) {
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "";
  const text = section(results);
  const at = old.indexOf(START);
  const end = old.indexOf(END);
  const next = at >= 0 && end > at ? old.slice(0, at) + text + old.slice(end + END.length) : `${old.trimEnd()}\n\n${text}\n`;
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, next);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
