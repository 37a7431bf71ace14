/**
 * CPU added by a wrapped LLM client: the same OpenAI calls, unwrapped and wrapped
 * (`Tracer.wrap`), in one process, against a loopback OpenAI server in its own process
 * (bench/peers/llm-server.js), with the spans exported to the counting sink (bench/lib/sink.js,
 * also its own process). The figure is this process's CPU time (`process.cpuUsage`) per call,
 * export and its flush included, so the server's and the sink's load do not blur it. Both
 * clients live in the same traced process: the unwrapped one pays what any AsyncLocalStorage
 * context costs on Node < 24 (promise hooks on every promise), so the difference is the
 * wrapper's own cost.
 * Run (after `npm run build`; it measures the build, or JUDGEVAL_BENCH_PKG's):
 *   node bench/llm.bench.js
 * Targets (issue 16): at most 5 µs per non-streaming `chat.completions.create`, at most
 * 10 µs plus 0.3 µs per chunk for a stream read to its end. The per-chunk figure is the slope
 * between streams of 10 and 100 content chunks; the fixed part is what remains of the 10-chunk one.
 * A second pass runs the same calls on a client of the same shape answering from memory: without
 * the SDK's HTTP and parsing (a millisecond of CPU per call, whose noise on a shared machine
 * swamps tens of microseconds), the difference is the wrapper's own cost — span, serialization,
 * accumulation, export — measured far more tightly. Beside it, two floors in the same rounds: an
 * exported span with no attributes (what any span costs through the SDK, our processor and the
 * export) and the very span a call exports, made by hand with its attributes.
 * Env: BENCH_ROUNDS (default 9; the in-memory pass runs three times as many), BENCH_CALLS per round and variant
 * (default 300: about what one export carries; the in-memory pass, twice as many),
 * BENCH_PROFILE=1 (a CPU profile of wrapped calls only, into bench/.profiles/).
 */
"use strict";
const { fork } = require("node:child_process");
const OpenAI = require("openai").default;
const { VERSION: OPENAI_VERSION } = require("openai/version");
const { loadJudgeval } = require("./lib/common.js");

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
/**
 * The in-memory client's calls are far cheaper: its rounds are shorter (twice the calls, against
 * the server pass's ~1 ms each) and three times as many, so that a burst of other work on a shared
 * machine spoils a smaller share of them and the median holds.
 */
const MEMORY_CALLS = CALLS * 2;
const MEMORY_ROUNDS = ROUNDS * 3;

// The in-memory client: the shape of the Stainless SDKs (OpenAI, Anthropic, Together) that the
// wrapper relies on — an `APIPromise` that parses the body only when asked, and a `Stream` read
// through its `iterator` — answering from canned JSON (parsed per call, as a body would be), so
// the SDK's own HTTP and parsing work drops out and what is left is the wrapper's.
const USAGE = { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21, prompt_tokens_details: { cached_tokens: 0 } };
const head = (object) => ({
  id: "chatcmpl-bench",
  object,
  created: 1_732_000_000,
  model: "gpt-4o-mini-2024-07-18",
  system_fingerprint: "fp_bench",
});
const COMPLETION = JSON.stringify({
  ...head("chat.completion"),
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Hello! How can I help you today?", refusal: null },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: USAGE,
});
const chunk = (delta, finish) =>
  JSON.stringify({ ...head("chat.completion.chunk"), choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
const chunksOf = (n, usage) => [
  chunk({ role: "assistant", content: "" }, null),
  ...Array.from({ length: n }, (_, i) => chunk({ content: `tok${i} ` }, null)),
  chunk({}, "stop"),
  ...(usage ? [JSON.stringify({ ...head("chat.completion.chunk"), choices: [], usage: USAGE })] : []),
];
const CHUNKS = new Map();

class MemoryAPIPromise extends Promise {
  static get [Symbol.species]() {
    return Promise;
  }
  constructor(read) {
    super((resolve) => resolve(null));
    this.read = read;
  }
  parse() {
    return (this.parsed ??= Promise.resolve().then(this.read));
  }
  then(onfulfilled, onrejected) {
    return this.parse().then(onfulfilled, onrejected);
  }
  catch(onrejected) {
    return this.parse().catch(onrejected);
  }
  finally(onfinally) {
    return this.parse().finally(onfinally);
  }
  asResponse() {
    return Promise.resolve(new Response(""));
  }
  withResponse() {
    return this.parse().then((data) => ({ data }));
  }
  _thenUnwrap(transform) {
    return new MemoryAPIPromise(() => this.parse().then(transform));
  }
}

class MemoryStream {
  constructor(chunks) {
    this.chunks = chunks;
    this.controller = new AbortController();
    void this.controller.signal; // made by the real SDK for its fetch
  }
  async *iterator() {
    for (const c of this.chunks) yield JSON.parse(c);
  }
  [Symbol.asyncIterator]() {
    return this.iterator();
  }
}

class OpenAIMemory {
  create(body, options) {
    return new MemoryAPIPromise(() => {
      if (!body.stream) return JSON.parse(COMPLETION);
      const key = `${options?.headers?.["x-chunks"] ?? 10}:${body.stream_options?.include_usage === true}`;
      if (!CHUNKS.has(key)) CHUNKS.set(key, chunksOf(Number(key.split(":")[0]), body.stream_options?.include_usage === true));
      return new MemoryStream(CHUNKS.get(key));
    });
  }
}

/** Named as the SDK's client class, which is how `Tracer.wrap` recognizes it. */
class MemoryOpenAI {
  constructor() {
    this.apiKey = "sk-bench-llm-key";
    this.chat = { completions: new OpenAIMemory() };
  }
}
Object.defineProperty(MemoryOpenAI, "name", { value: "OpenAI" });

/** Forks a helper server; resolves with it and the port it listens on. */
function startChild(script) {
  const child = fork(`${__dirname}/${script}`, [], { stdio: "inherit", execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, port: m.port }));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

/** CPU microseconds per call over `CALLS` sequential calls, the flush of their spans included. */
async function cpuPerCall(call, flush, calls) {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  await flush();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (us) => `${us >= 0 ? "+" : ""}${us.toFixed(1)} µs`;
const range = (xs) => `${fmt(Math.min(...xs))} … ${fmt(Math.max(...xs))}`;

async function main() {
  const { Tracer } = loadJudgeval();
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
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Say hello" },
  ];
  const chat = (c) => c.chat.completions.create({ model: "gpt-4o-mini", messages });
  const stream = (chunks) => async (c) => {
    let text = "";
    const s = await c.chat.completions.create(
      { model: "gpt-4o-mini", messages, stream: true },
      { headers: { "x-chunks": String(chunks) } },
    );
    for await (const chunk of s) text += chunk.choices[0]?.delta.content ?? "";
    return text;
  };
  const scenarios = { chat, stream10: stream(10), stream100: stream(100) };
  const names = Object.keys(scenarios);

  if (process.env.BENCH_PROFILE) {
    const { Session } = require("node:inspector/promises");
    const fs = require("node:fs");
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
    fs.mkdirSync(`${__dirname}/.profiles`, { recursive: true });
    fs.writeFileSync(`${__dirname}/.profiles/llm-wrapped.cpuprofile`, JSON.stringify(profile));
    console.log("profile: bench/.profiles/llm-wrapped.cpuprofile");
  }

  /**
   * `rounds` interleaved rounds of `clients` (unwrapped, wrapped) over every scenario, printed under
   * `title`; each of `floors` (label → call) is measured once per round too, less an empty async
   * call in the same round (the loop's own await, which wrapped minus unwrapped cancels): what the
   * wrapped call's figure stands on.
   */
  const measure = async (title, clients, calls, rounds, floors = {}) => {
    const floorNames = Object.keys(floors);
    // Warm-up: every path JIT-compiled before the first measured round.
    for (const n of names) for (const c of Object.values(clients)) for (let i = 0; i < calls; i++) await scenarios[n](c);
    for (const f of floorNames) for (let i = 0; i < calls; i++) await floors[f]();
    await flush();
    const floorCpu = Object.fromEntries(floorNames.map((f) => [f, []]));
    const emptyCall = async () => undefined;
    const added = { chat: [], stream10: [], stream100: [] };
    const base = { chat: [], stream10: [], stream100: [] };
    for (let round = 0; round < rounds; round++) {
      for (const n of names) {
        // alternate which variant runs first, so a warming or cooling machine favours neither
        const order = round % 2 ? ["wrapped", "unwrapped"] : ["unwrapped", "wrapped"];
        const cpu = {};
        for (const v of order) cpu[v] = await cpuPerCall(() => scenarios[n](clients[v]), flush, calls);
        base[n].push(cpu.unwrapped);
        added[n].push(cpu.wrapped - cpu.unwrapped);
      }
      if (floorNames.length > 0) {
        const empty = await cpuPerCall(emptyCall, flush, calls);
        for (const f of floorNames) floorCpu[f].push((await cpuPerCall(floors[f], flush, calls)) - empty);
      }
    }
    const perChunkRounds = added.stream100.map((v, i) => (v - added.stream10[i]) / 90);
    const fixedRounds = added.stream10.map((v, i) => v - 10 * perChunkRounds[i]);
    console.log(`${title}, ${rounds} interleaved rounds × ${calls} calls per variant; wrapped minus unwrapped, median (range over rounds)`);
    const row = (label, xs, note = "") => console.log(`  ${label.padEnd(34)} ${fmt(median(xs)).padStart(11)}   (${range(xs)})${note}`);
    console.log(
      `  unwrapped, non-streaming: ${median(base.chat).toFixed(0)} µs/call; stream of 10: ${median(base.stream10).toFixed(0)} µs; of 100: ${median(base.stream100).toFixed(0)} µs`,
    );
    row("chat.completions.create", added.chat, "   target ≤ 5 µs");
    row("stream, 10 chunks", added.stream10);
    row("stream, 100 chunks", added.stream100);
    row("stream, fixed part", fixedRounds, "   target ≤ 10 µs");
    row("stream, per chunk", perChunkRounds, "   target ≤ 0.3 µs");
    for (const f of floorNames) row(f, floorCpu[f], "   (Tracer.startSpan + end, no client)");
    return (rounds + 1) * calls * (names.length + floorNames.length);
  };

  console.log(`node ${process.version}; CPU time of this process per call (process.cpuUsage, export and flush included)`);
  let wrappedCalls = process.env.BENCH_PROFILE ? 300 * names.length + CALLS * 5 * names.length : 0;
  wrappedCalls += await measure(`openai ${OPENAI_VERSION} against the loopback server`, clients, CALLS, ROUNDS);
  const memory = { unwrapped: new MemoryOpenAI(), wrapped: Tracer.wrap(new MemoryOpenAI()) };
  // The span a wrapped non-streaming call exports, made by hand with the public API: what carrying
  // its data through an OpenTelemetry span and the export costs before any wrapper work.
  const sameAttributes = {
    "judgment.span_kind": "llm",
    "judgment.llm.provider": "openai",
    "gen_ai.system": "openai",
    "gen_ai.provider.name": "openai",
    "gen_ai.operation.name": "chat",
    "judgment.llm.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.request.model": "gpt-4o-mini",
    "judgment.input": JSON.stringify({ model: "gpt-4o-mini", messages }),
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.response.id": "chatcmpl-bench",
    "gen_ai.response.finish_reasons": ["stop"],
    "judgment.usage.non_cached_input_tokens": 9,
    "judgment.usage.output_tokens": 12,
    "gen_ai.usage.input_tokens": 9,
    "gen_ai.usage.output_tokens": 12,
    "judgment.usage.total_cost_usd": 0.0000085,
    "judgment.output": COMPLETION,
  };
  // The floor in two parts: any span through the same pipeline (no attributes), then the same span
  // carrying the call's attributes — so the figure splits into span, data and the wrapper's own work.
  wrappedCalls += await measure(
    "a Stainless-shaped client answering from memory (the wrapper's own cost)",
    memory,
    MEMORY_CALLS,
    MEMORY_ROUNDS,
    {
      "floor: a span, no attributes": async () => Tracer.startSpan("OPENAI_API_CALL").end(),
      "floor: span alone, same attributes": async () => Tracer.startSpan("OPENAI_API_CALL", sameAttributes).end(),
    },
  );
  const stats = await (await fetch(`http://127.0.0.1:${sink.port}/__stats`)).json();
  console.log(`  spans delivered to the sink: ${stats.spans} of ${wrappedCalls} wrapped calls`);
  await tracer.shutdown();
  llm.child.disconnect();
  sink.child.kill();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
