/**
 * Overhead of a wrapped LLM client: the same OpenAI calls, unwrapped and wrapped
 * (`Tracer.wrap`), against one loopback OpenAI server. The server and the local
 * backend receiving the spans each run in a child process, as they would run
 * elsewhere, so the figure is the calling process's own extra wall time.
 * Run:
 *   npx ts-node --transpile-only bench/llm.bench.ts
 * Target (issue 5): a wrapped call takes at most 5% more wall time.
 * Beside unwrapped and wrapped, a "hand-made span" variant runs the unwrapped
 * call in `Tracer.span` with its request and response recorded: the floor that
 * any tracing of the call pays (context propagation through the SDK's async
 * work, span processing, export), so the wrapper's own share is the difference.
 * Two tracers are measured: one exporting to the backend (the real setup), and
 * one whose spans go to a no-op processor, which leaves out batching and OTLP
 * export.
 * Env: BENCH_ROUNDS (default 15), BENCH_CALLS per round and variant (default 200).
 */
import { fork, type ChildProcess } from "node:child_process";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import OpenAI from "openai";
import { LocalBackend } from "../lib/dev/index.js";
import { Tracer } from "../lib/index.js";
import { startOpenAIServer } from "../spec/llm/servers/openai.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);

type TracerEndpoint = { apiUrl: string; apiKey: string; organizationId: string; projectName: string };

/** Child: serves the loopback LLM (`--serve-llm`) or the backend (`--serve-backend`) until the parent leaves. */
async function serve(what: string): Promise<void> {
  if (what === "--serve-llm") {
    const llm = await startOpenAIServer();
    process.send!(llm.url);
    process.on("disconnect", () => void llm.close().then(() => process.exit(0)));
  } else {
    const backend = await LocalBackend.start({});
    const endpoint: TracerEndpoint = {
      apiUrl: backend.url,
      apiKey: backend.apiKey,
      organizationId: backend.organizationId,
      projectName: "llm-bench",
    };
    process.send!(endpoint);
    process.on("disconnect", () => void backend.close().then(() => process.exit(0)));
  }
}

function startChild<T>(flag: string): Promise<{ child: ChildProcess; info: T }> {
  const child = fork(require.resolve("ts-node/dist/bin.js"), ["--transpile-only", __filename, flag], {
    stdio: "inherit",
    // under ts-node, execArgv holds ts-node's own command line, which the child must not re-run
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (info) => resolve({ child, info: info as T }));
    child.once("exit", (code) => reject(new Error(`${flag} process exited (${code})`)));
  });
}

type Call = () => Promise<unknown>;

/** Microseconds per call over `CALLS` sequential calls. */
async function time(call: Call): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Times the variants in rounds, rotating their order so that a warming or cooling machine
 * favours none; each variant's figure is the median of its per-round ratio to `unwrapped`.
 */
async function scenario(name: string, variants: Record<"unwrapped" | "hand-made span" | "wrapped", Call>): Promise<void> {
  const names = Object.keys(variants) as Array<keyof typeof variants>;
  for (const n of names) await time(variants[n]);
  const perRound: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const t: Record<string, number> = {};
    for (const n of order) t[n] = await time(variants[n]);
    for (const n of names) (perRound[n] ??= []).push(t[n]);
  }
  const base = perRound.unwrapped;
  const cells = names.map((n) => {
    const us = median(perRound[n]);
    if (n === "unwrapped") return `${n} ${us.toFixed(0)} µs`;
    const pct = (median(perRound[n].map((v, i) => v / base[i])) - 1) * 100;
    return `${n} ${us.toFixed(0)} µs (${pct >= 0 ? "+" : ""}${pct.toFixed(1)}%)`;
  });
  console.log(`  ${name.padEnd(24)} ${cells.join("   ")}`);
}

const NO_OP: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

async function main(): Promise<void> {
  const llm = await startChild<string>("--serve-llm");
  const backend = await startChild<TracerEndpoint>("--serve-backend");
  const client = () => new OpenAI({ apiKey: "sk-bench", baseURL: `${llm.info}/v1`, maxRetries: 0 });
  const plain = client();
  const wrapped = Tracer.wrap(client());
  const messages = [{ role: "user" as const, content: "Say hello" }];
  const chat = (c: OpenAI) => c.chat.completions.create({ model: "gpt-4o-mini", messages });
  const stream = async (c: OpenAI) => {
    let text = "";
    for await (const chunk of await c.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true }))
      text += chunk.choices[0]?.delta.content ?? "";
    return text;
  };
  // The floor any tracing of the call pays: one span with the request and response recorded.
  const handMade = <R>(call: () => Promise<R>, request: object): Promise<R> =>
    Tracer.span("llm", async (span) => {
      span.setAttribute("judgment.input", JSON.stringify(request));
      const result = await call();
      span.setAttribute("judgment.output", JSON.stringify(result));
      return result;
    });
  const run = async () => {
    await scenario("chat.completions.create", {
      unwrapped: () => chat(plain),
      "hand-made span": () => handMade(() => chat(plain), { model: "gpt-4o-mini", messages }),
      wrapped: () => chat(wrapped),
    });
    await scenario("chat.completions stream", {
      unwrapped: () => stream(plain),
      "hand-made span": () => handMade(() => stream(plain), { model: "gpt-4o-mini", messages, stream: true }),
      wrapped: () => stream(wrapped),
    });
  };

  console.log(
    `node ${process.version}; per call, median of ${ROUNDS} rounds × ${CALLS} sequential calls per variant; % = median per-round ratio to unwrapped`,
  );
  // A sink that counts spans without decoding them: what the SDK itself costs, without the
  // receiving backend's work competing for this 2-core machine.
  const sink = fork(require.resolve("./lib/sink.js"), [], { stdio: "inherit", execArgv: [] });
  const { port } = await new Promise<{ port: number }>((resolve) => sink.once("message", (m) => resolve(m as { port: number })));
  const counted = Tracer.init({
    apiUrl: `http://127.0.0.1:${port}`,
    apiKey: "bench-key",
    organizationId: "bench-org",
    projectName: "llm-bench",
  });
  await counted.ready;
  console.log("spans exported to a counting sink (own process, no decoding):");
  await run();
  console.log(`  all spans delivered: ${await counted.forceFlush(30000)}`);
  await counted.shutdown();
  sink.kill();

  const exporting = Tracer.init(backend.info);
  await exporting.ready;
  console.log("spans exported to the local backend:");
  await run();
  console.log(`  all spans delivered: ${await exporting.forceFlush(30000)}`);
  await exporting.shutdown();

  Tracer.init({ spanProcessors: [NO_OP] });
  console.log("spans to a no-op processor (the wrapper's own cost):");
  await run();

  llm.child.disconnect();
  backend.child.disconnect();
}

const fail = (err: unknown) => {
  console.error(err);
  process.exit(1);
};
const role = process.argv.find((a) => a.startsWith("--serve-"));
if (role) serve(role).catch(fail);
else main().catch(fail);
