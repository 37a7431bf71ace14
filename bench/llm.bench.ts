/**
 * Overhead of a wrapped LLM client: the same OpenAI calls, unwrapped and wrapped
 * (`Tracer.wrap`), against one loopback OpenAI server. The server and the local
 * backend receiving the spans each run in a child process, as they would run
 * elsewhere, so the figure is the calling process's own extra wall time.
 * Run:
 *   npx ts-node --transpile-only bench/llm.bench.ts
 * Target (issue 5): a wrapped call takes at most 5% more wall time.
 * Two tracers are measured: one exporting to the backend (the real setup), and
 * one whose spans go to a no-op processor, which isolates the wrapper's own cost
 * from the core's batching and OTLP export.
 * Env: BENCH_ROUNDS (default 9), BENCH_CALLS per round and variant (default 400).
 */
import { fork, type ChildProcess } from "node:child_process";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { LocalBackend } from "../lib/backend/index.js";
import { Tracer } from "../lib/index.js";
import { startOpenAIServer } from "../spec/llm/servers/openai.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);

type TracerEndpoint = { apiUrl: string; apiKey: string; organizationId: string; projectName: string };

/** Child: serves the loopback LLM (`--serve-llm`) or the backend (`--serve-backend`) until the parent leaves. */
async function serve(what: string): Promise<void> {
  if (what === "--serve-llm") {
    const llm = await startOpenAIServer();
    process.send!(llm.url);
    process.on("disconnect", () => void llm.close().then(() => process.exit(0)));
  } else {
    const backend = await LocalBackend.start({});
    const endpoint: TracerEndpoint = { apiUrl: backend.url, apiKey: backend.apiKey, organizationId: backend.organizationId, projectName: "llm-bench" };
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

type Call = (client: OpenAI) => Promise<unknown>;

/** Milliseconds per call over `CALLS` sequential calls. */
async function time(client: OpenAI, call: Call): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call(client);
  return Number(process.hrtime.bigint() - start) / 1e6 / CALLS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Paired rounds, alternating which side goes first so a warming or cooling machine favours neither. */
async function scenario(name: string, plain: OpenAI, wrapped: OpenAI, call: Call): Promise<void> {
  await time(plain, call);
  await time(wrapped, call);
  const base: number[] = [];
  const traced: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let p: number;
    let w: number;
    if (round % 2) {
      w = await time(wrapped, call);
      p = await time(plain, call);
    } else {
      p = await time(plain, call);
      w = await time(wrapped, call);
    }
    base.push(p);
    traced.push(w);
    ratios.push(w / p);
  }
  const overhead = (median(ratios) - 1) * 100;
  const addedUs = (median(traced) - median(base)) * 1000;
  console.log(
    `  ${name.padEnd(24)} unwrapped ${median(base).toFixed(3)} ms  wrapped ${median(traced).toFixed(3)} ms  ` +
      `overhead ${overhead >= 0 ? "+" : ""}${overhead.toFixed(1)}% (${addedUs.toFixed(0)} µs/call)`,
  );
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
  const run = async () => {
    await scenario("chat.completions.create", plain, wrapped, (c) => c.chat.completions.create({ model: "gpt-4o-mini", messages }));
    await scenario("chat.completions stream", plain, wrapped, async (c) => {
      for await (const _chunk of await c.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true }));
    });
  };

  console.log(`node ${process.version}; median of ${ROUNDS} paired rounds × ${CALLS} sequential calls per variant`);
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
