/**
 * CPU added by a wrapped LLM client: the same OpenAI calls, unwrapped and wrapped
 * (`Tracer.wrap`), in one process, against a loopback OpenAI server in its own process
 * (bench/peers/llm-server.js), with the spans exported to the counting sink (bench/lib/sink.js,
 * also its own process). The figure is this process's CPU time (`process.cpuUsage`) per call,
 * export and its flush included, so the server's and the sink's load do not blur it. Both
 * clients live in the same traced process: the unwrapped one pays what any AsyncLocalStorage
 * context costs on Node < 24 (promise hooks on every promise), so the difference is the
 * wrapper's own cost.
 * Run:
 *   npx ts-node --transpile-only bench/llm.bench.ts
 * Targets (issue 16): at most 5 µs per non-streaming `chat.completions.create`, at most
 * 10 µs plus 0.3 µs per chunk for a stream read to its end. The per-chunk figure is the slope
 * between streams of 10 and 100 content chunks; the fixed part is what remains of the 10-chunk one.
 * Env: BENCH_ROUNDS (default 9), BENCH_CALLS per round and variant (default 300: about what one export carries),
 * BENCH_PROFILE=1 (a CPU profile of wrapped calls only, into bench-profiles/).
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import OpenAI from "openai";
import { VERSION as OPENAI_VERSION } from "openai/version";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);

function startChild(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, script), [], { stdio: "inherit", execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

type Call = () => Promise<unknown>;

/** CPU microseconds per call over `CALLS` sequential calls, the flush of their spans included. */
async function cpuPerCall(call: Call, flush: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call();
  await flush();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (us: number) => `${us >= 0 ? "+" : ""}${us.toFixed(1)} µs`;
const range = (xs: number[]) => `${fmt(Math.min(...xs))} … ${fmt(Math.max(...xs))}`;

type Judgeval = typeof import("../lib/index.js");

/** The build under test (`JUDGEVAL_BENCH_PKG`, set by bench/run.js), else the sources. */
function judgeval(): Judgeval {
  const pkg = process.env.JUDGEVAL_BENCH_PKG;
  /* eslint-disable @typescript-eslint/no-require-imports -- the build is chosen at run time */
  return pkg ? (require(path.resolve(pkg)) as Judgeval) : (require("../lib/index.js") as Judgeval);
  /* eslint-enable @typescript-eslint/no-require-imports */
}

async function main(): Promise<void> {
  const { Tracer } = judgeval();
  const llm = await startChild("peers/llm-server.js");
  const sink = await startChild("lib/sink.js");
  const tracer = Tracer.init({
    apiUrl: `http://127.0.0.1:${sink.port}`,
    apiKey: "bench-key",
    organizationId: "bench-org",
    projectName: "llm-bench",
  });
  await tracer.ready;
  const flush = () => tracer.forceFlush(30000);
  const client = () => new OpenAI({ apiKey: "sk-bench-llm-key", baseURL: `http://127.0.0.1:${llm.port}/v1`, maxRetries: 0 });
  const clients = { unwrapped: client(), wrapped: Tracer.wrap(client()) };
  const messages = [
    { role: "system" as const, content: "You are a helpful assistant." },
    { role: "user" as const, content: "Say hello" },
  ];
  const chat = (c: OpenAI) => c.chat.completions.create({ model: "gpt-4o-mini", messages });
  const stream = (chunks: number) => async (c: OpenAI) => {
    let text = "";
    const s = await c.chat.completions.create(
      { model: "gpt-4o-mini", messages, stream: true },
      { headers: { "x-chunks": String(chunks) } },
    );
    for await (const chunk of s) text += chunk.choices[0]?.delta.content ?? "";
    return text;
  };
  const scenarios = { chat, stream10: stream(10), stream100: stream(100) };
  type Scenario = keyof typeof scenarios;
  const names = Object.keys(scenarios) as Scenario[];

  if (process.env.BENCH_PROFILE) {
    const { Session } = await import("node:inspector/promises");
    const fs = await import("node:fs");
    const session = new Session();
    session.connect();
    for (const n of names) for (let i = 0; i < 300; i++) await scenarios[n](clients.wrapped);
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    for (const n of names) {
      for (let i = 0; i < CALLS * 5; i++) await scenarios[n](clients.wrapped);
      await flush();
    }
    const { profile } = await session.post("Profiler.stop");
    fs.mkdirSync("bench-profiles", { recursive: true });
    fs.writeFileSync("bench-profiles/llm-wrapped.cpuprofile", JSON.stringify(profile));
    console.log("profile: bench-profiles/llm-wrapped.cpuprofile");
  }

  // Warm-up: every path JIT-compiled before the first measured round.
  for (const n of names) for (const c of Object.values(clients)) for (let i = 0; i < CALLS; i++) await scenarios[n](c);
  await flush();

  const added: Record<Scenario, number[]> = { chat: [], stream10: [], stream100: [] };
  const base: Record<Scenario, number[]> = { chat: [], stream10: [], stream100: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of names) {
      // alternate which variant runs first, so a warming or cooling machine favours neither
      const order = round % 2 ? (["wrapped", "unwrapped"] as const) : (["unwrapped", "wrapped"] as const);
      const cpu: Record<string, number> = {};
      for (const v of order) cpu[v] = await cpuPerCall(() => scenarios[n](clients[v]), flush);
      base[n].push(cpu.unwrapped);
      added[n].push(cpu.wrapped - cpu.unwrapped);
    }
  }
  const perChunkRounds = added.stream100.map((v, i) => (v - added.stream10[i]) / 90);
  const fixedRounds = added.stream10.map((v, i) => v - 10 * perChunkRounds[i]);

  console.log(
    `node ${process.version}, openai ${OPENAI_VERSION}; CPU time of this process per call ` +
      `(process.cpuUsage, export and flush included), ${ROUNDS} interleaved rounds × ${CALLS} calls per variant; wrapped minus unwrapped, ` +
      `median (range over rounds)`,
  );
  const row = (label: string, xs: number[], note = "") =>
    console.log(`  ${label.padEnd(34)} ${fmt(median(xs)).padStart(11)}   (${range(xs)})${note}`);
  console.log(
    `  unwrapped, non-streaming: ${median(base.chat).toFixed(0)} µs/call; stream of 10: ${median(base.stream10).toFixed(0)} µs; of 100: ${median(base.stream100).toFixed(0)} µs`,
  );
  row("chat.completions.create", added.chat, "   target ≤ 5 µs");
  row("stream, 10 chunks", added.stream10);
  row("stream, 100 chunks", added.stream100);
  row("stream, fixed part", fixedRounds, "   target ≤ 10 µs");
  row("stream, per chunk", perChunkRounds, "   target ≤ 0.3 µs");
  const stats = (await (await fetch(`http://127.0.0.1:${sink.port}/__stats`)).json()) as { spans: number };
  const wrappedCalls =
    (ROUNDS + 1) * CALLS * names.length + (process.env.BENCH_PROFILE ? 300 * names.length + CALLS * 5 * names.length : 0);
  console.log(`  spans delivered to the sink: ${stats.spans} of ${wrappedCalls} wrapped calls`);
  await tracer.shutdown();
  llm.child.disconnect();
  sink.child.kill();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
