"use strict";
/**
 * `npm run bench:load:attribute`: where the agent server's CPU per request goes, by part of
 * tracing. Each step of bench/load/variants.js (plain, context, otel-spans, otel,
 * judgeval-local, judgeval) runs the agent of bench/fixtures/agent.ts in its own process,
 * called directly with 16 requests in flight (no inbound HTTP: the same for every step) against
 * the loopback provider, exporting to the counting sink. A round is a number of requests and a
 * flush; the figure is the process's CPU time (all threads, GC included) per request, median of
 * interleaved rounds. Steps differ by one part each, so the differences attribute the cost:
 *
 *   context propagation     context − plain
 *   span creation and end   otel-spans − context            (OpenTelemetry's SDK)
 *   batch, encode, export   otel − otel-spans               (OpenTelemetry's processor + OTLP/proto)
 *   judgeval spans          judgeval-local − context        (export off: spans made, nothing recorded)
 *   judgeval record + export judgeval − judgeval-local      (inputs/outputs, model JSON, GenAI, encoder, HTTP)
 *
 * With BENCH_ATTR_PROFILE each step also writes a CPU profile, and the table splits each step's
 * CPU by where its samples fall (the innermost frame that belongs to a part): context propagation
 * (async_hooks / AsyncLocalStorage), spans (the OpenTelemetry SDK, `observe` and the wrappers),
 * recording (serializer, model-call JSON, GenAI mapping, finishing), protobuf encoding, export
 * (batching, HTTP), GC, and the app itself (agent, OpenAI's client, undici, Node's HTTP). Promise
 * hooks also slow the app's own code down: that shows as a larger app share, not under context.
 *
 * CPU time, not throughput, so a busy machine moves it less. Environment:
 *   BENCH_ATTR_REQUESTS=2000   requests per round
 *   BENCH_ATTR_ROUNDS=5        rounds per step (after one warm-up round)
 *   BENCH_ATTR_NODE=path       the Node binary to run the steps on (default: this one)
 *   BENCH_ATTR_VARIANTS=a,b    steps to run (default: all six)
 *   JUDGEVAL_BENCH_PKG=path    build under test (default dist/cjs)
 *   BENCH_ATTR_PROFILE=dir     also a CPU profile of each step, into dir/<step>/
 */
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync, fork } = require("node:child_process");
const { median } = require("../lib/common.js");

const ROOT = path.resolve(__dirname, "..", "..");
const STEPS = ["plain", "context", "otel-spans", "otel", "judgeval-local", "judgeval"];
const QUESTION = "What's the weather like in Shanghai today?";
const IN_FLIGHT = 16;

if (process.argv[2] === "--step") step(process.argv[3], process.argv[4], process.argv[5]);
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });

/** A step's process: runs rounds on request, answers { cpuUs, wallMs } per round. */
async function step(variant, providerUrl, sinkUrl) {
  try {
    const { setup } = require("./variants.js");
    const { makeAgent } = require(path.resolve(process.env.BENCH_AGENT_JS));
    const { observe, client, flush } = await setup(variant, providerUrl, sinkUrl);
    const agent = makeAgent(observe, client);
    process.on("message", async ({ requests, exit }) => {
      if (exit) return process.exit(0); // a clean exit writes the CPU profile
      const cpu = process.cpuUsage();
      const began = process.hrtime.bigint();
      let next = 0;
      const worker = async () => {
        while (next++ < requests) await agent.handle(QUESTION);
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      await flush();
      const used = process.cpuUsage(cpu);
      process.send({ cpuUs: used.user + used.system, wallMs: Number(process.hrtime.bigint() - began) / 1e6 });
    });
    process.send({ ready: true });
  } catch (err) {
    process.send({ error: String(err && err.stack ? err.stack : err) });
  }
}

function start(script, args, { execArgv = [], execPath, extraEnv } = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(JUDGMENT_|OTEL_)/.test(key)) delete env[key];
  const pkg = path.resolve(ROOT, process.env.JUDGEVAL_BENCH_PKG ?? "dist/cjs");
  const child = fork(path.join(ROOT, script), args, {
    cwd: ROOT,
    env: { ...env, JUDGEVAL_BENCH_PKG: pkg, ...extraEnv },
    execArgv,
    execPath,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (msg) => (msg.error ? reject(new Error(msg.error)) : resolve({ child, port: msg.port })));
    child.once("exit", (code) => reject(new Error(`${script} ${args.join(" ")} exited (${code})`)));
  });
}

const round = (child, requests) =>
  new Promise((resolve) => {
    child.once("message", resolve);
    child.send({ requests });
  });

async function main() {
  const requests = Number(process.env.BENCH_ATTR_REQUESTS ?? 2000);
  const rounds = Number(process.env.BENCH_ATTR_ROUNDS ?? 5);
  const node = process.env.BENCH_ATTR_NODE ?? process.execPath;
  const steps = process.env.BENCH_ATTR_VARIANTS ? process.env.BENCH_ATTR_VARIANTS.split(",") : STEPS;
  const profile = process.env.BENCH_ATTR_PROFILE ? path.resolve(process.env.BENCH_ATTR_PROFILE) : undefined;
  const agent = compiledAgent();
  const provider = await start("bench/load/provider.js", [], { execArgv: ["-r", path.join(ROOT, "bench", "lib", "ts-source.js")] });
  const sink = await start("bench/lib/sink.js", []);
  const url = (p) => `http://127.0.0.1:${p.port}`;
  const children = {};
  try {
    for (const variant of steps)
      children[variant] = (
        await start("bench/load/attribute.js", ["--step", variant, url(provider), url(sink)], {
          execPath: node,
          execArgv: profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profile, variant)}`] : [],
          extraEnv: { BENCH_AGENT_JS: agent },
        })
      ).child;
    const version = execFileSync(node, ["-p", "process.version"], { encoding: "utf8" }).trim();
    process.stderr.write(`[attribute] Node ${version}, ${steps.length} steps, ${rounds} rounds of ${requests} requests\n`);
    for (const variant of steps) await round(children[variant], Math.max(200, requests >> 2));
    const cpu = Object.fromEntries(steps.map((s) => [s, []]));
    for (let r = 0; r < rounds; r++)
      for (let k = 0; k < steps.length; k++) {
        const variant = steps[(r + k) % steps.length];
        const out = await round(children[variant], requests);
        cpu[variant].push(out.cpuUs / requests);
      }
    const us = Object.fromEntries(steps.map((s) => [s, median(cpu[s])]));
    for (const line of table(us, version)) console.log(line);
    if (profile) {
      for (const child of Object.values(children)) child.send({ exit: true });
      await Promise.all(Object.values(children).map((child) => child.exitCode ?? new Promise((resolve) => child.once("exit", resolve))));
      for (const line of profileTable(steps, us, profile)) console.log(line);
    }
  } finally {
    for (const child of Object.values(children)) if (child.connected && child.exitCode === null) child.send({ exit: true });
    await Promise.all(Object.values(children).map((child) => child.exitCode ?? new Promise((resolve) => child.once("exit", resolve))));
    provider.child.kill();
    sink.child.kill();
  }
}

function table(us, version) {
  const lines = [`CPU per request on Node ${version} (µs, median of rounds):`, ""];
  for (const [name, value] of Object.entries(us)) lines.push(`  ${name.padEnd(16)} ${Math.round(value)}`);
  const part = (a, b) => (us[a] !== undefined && us[b] !== undefined ? Math.round(us[a] - us[b]) : "–");
  lines.push(
    "",
    "| part | bare OpenTelemetry | judgeval |",
    "| --- | ---: | ---: |",
    `| context propagation (AsyncLocalStorage) | ${part("context", "plain")} | ${part("context", "plain")} |`,
    `| spans made and ended (judgeval: export off, nothing recorded) | ${part("otel-spans", "context")} | ${part("judgeval-local", "context")} |`,
    `| OpenTelemetry: batching, encoding, HTTP export; judgeval: recording, encoding, export | ${part("otel", "otel-spans")} | ${part("judgeval", "judgeval-local")} |`,
    `| total over uninstrumented | ${part("otel", "plain")} | ${part("judgeval", "plain")} |`,
  );
  return lines;
}

const PARTS = ["app", "context propagation", "spans", "recording", "encoding", "export", "GC"];

/** The part of tracing a profile frame's script belongs to, or undefined (look further up the stack). */
function partOf(url) {
  if (/dist\/cjs\/(otel\/sdk|api\/|context\/|tracer\/|propagation\/)|@opentelemetry\/(sdk-trace|api|core|resources)\//.test(url))
    return "spans";
  if (/dist\/cjs\/(serialize|llm|pricing|diag\/secrets)|dist\/cjs\/pipeline\/(genai|finish|redact|enrich|snapshot|open-spans)/.test(url))
    return "recording";
  if (/dist\/cjs\/pipeline\/encode|otlp-transformer/.test(url)) return "encoding";
  if (/dist\/cjs\/(pipeline|otel\/otlp)|exporter-trace-otlp|otlp-exporter-base/.test(url)) return "export";
  if (/context-async-hooks/.test(url)) return "context propagation";
  if (url.startsWith("node:") || url.includes("dist/cjs")) return undefined;
  return "app";
}

/** Shares of a .cpuprofile's samples by part: each sample goes to the innermost frame with a part. */
function split(file) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const counts = Object.fromEntries(PARTS.map((p) => [p, 0]));
  let total = 0;
  for (const id of profile.samples) {
    const leaf = byId.get(id).callFrame;
    if (leaf.functionName === "(idle)") continue;
    total++;
    let part = leaf.functionName === "(garbage collector)" ? "GC" : undefined;
    let first = true;
    for (let n = id; part === undefined && n !== undefined; n = parent.get(n)) {
      const { url, functionName } = byId.get(n).callFrame;
      if (!url) continue;
      // the hooks themselves; a callback they merely pass through (callbackTrampoline) is its caller's
      if (first && /async_hooks|async_local_storage|async_context_frame/.test(url) && functionName !== "callbackTrampoline")
        part = "context propagation";
      else part = partOf(url);
      first = false;
    }
    counts[part ?? "app"]++;
  }
  return Object.fromEntries(PARTS.map((p) => [p, total ? counts[p] / total : 0]));
}

/** µs per request by part for each profiled step: its share of samples × its CPU per request. */
function profileTable(steps, us, dir) {
  const lines = ["", "By CPU profile (µs per request; each step's CPU per request split by its samples):", ""];
  lines.push(`| part | ${steps.join(" | ")} |`, `| --- | ${steps.map(() => "---:").join(" | ")} |`);
  const shares = steps.map((s) => {
    const file = fs.readdirSync(path.join(dir, s)).find((f) => f.endsWith(".cpuprofile"));
    return split(path.join(dir, s, file));
  });
  for (const p of PARTS) lines.push(`| ${p} | ${steps.map((s, i) => Math.round(shares[i][p] * us[s])).join(" | ")} |`);
  lines.push(`| total | ${steps.map((s) => Math.round(us[s])).join(" | ")} |`);
  return lines;
}

/** bench/fixtures/agent.ts as CommonJS (as bench/load/run.js compiles it). */
function compiledAgent() {
  const ts = require("typescript");
  const source = fs.readFileSync(path.join(ROOT, "bench", "fixtures", "agent.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const dir = path.join(ROOT, "bench", ".build", "load");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "agent-attribute.js");
  fs.writeFileSync(file, outputText);
  return file;
}
