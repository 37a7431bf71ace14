/**
 * Cloudflare Workers: two Workers bundled for `workerd` (the package's `workerd` export
 * condition) run in workerd itself, from npm. The first runs an observed agent that calls a
 * wrapped OpenAI client (a loopback replaying a recorded response) and a tool that asks the
 * second Worker, through a service binding, with the trace context; both deliver their spans
 * through ctx.waitUntil. Checked as the loopback backend receives them: one trace across both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { useBackend } from "../support/backend.js";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { bundleApp, byName, EDGE_NODE_MODULES, RECORDED_COST, runtimePath, wholeTraces } from "./support.js";

const ctx = useBackend();
const PROJECT = `workers-${process.pid}`;
/** A compatibility date from which `nodejs_compat` is on by default (docs/runtimes.md). */
const COMPATIBILITY = `compatibilityDate = "2026-11-01"`;
const CONDITIONS = ["workerd", "worker", "browser"];

let workerd: ChildProcess | undefined;
let provider: Loopback | undefined;
let url = "";

function config(agent: string, forecast: string): string {
  const { tracerConfig } = ctx;
  const text = (name: string, value: string) => `(name = "${name}", text = ${JSON.stringify(value)})`;
  const credentials = [
    text("PROJECT", PROJECT),
    text("JUDGMENT_API_URL", tracerConfig.apiUrl),
    text("JUDGMENT_API_KEY", tracerConfig.apiKey),
    text("JUDGMENT_ORG_ID", tracerConfig.organizationId),
  ].join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "agent", worker = (
      modules = [(name = "agent.mjs", esModule = embed "${agent}")],
      ${COMPATIBILITY},
      bindings = [${credentials}, ${text("OPENAI_URL", provider!.url)}, (name = "FORECAST", service = "forecast")],
      globalOutbound = "loopback",
    )),
    (name = "forecast", worker = (
      modules = [(name = "forecast.mjs", esModule = embed "${forecast}")],
      ${COMPATIBILITY},
      bindings = [${credentials}],
      globalOutbound = "loopback",
    )),
    # Outbound requests reach loopback only: the backend and the provider.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "agent")],
);
`;
}

/** Starts workerd on `file` and resolves with the port it listens on, as it reports on its control fd. */
function serve(file: string): Promise<number> {
  const child = spawn(runtimePath("workerd"), ["serve", file, "--control-fd=3"], { stdio: ["ignore", "inherit", "inherit", "pipe"] });
  workerd = child;
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdio[3]!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      for (const line of buffered.split("\n").slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; socket?: string; port?: number };
        if (event.event === "listen" && event.socket === "http") resolve(event.port!);
      }
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    });
    child.on("exit", (code) => reject(new Error(`workerd exited (${code}) before listening`)));
  });
}

beforeAll(async () => {
  provider = await startResponsesReplay();
  const bundles = await Promise.all(
    ["worker-agent.ts", "worker-forecast.ts"].map((f) => bundleApp(f, { conditions: CONDITIONS, format: "esm" })),
  );
  // the edge build: nothing of Node's but what the edge runtimes have
  for (const { nodeModules } of bundles) expect(nodeModules).toEqual(EDGE_NODE_MODULES);
  const [agent, forecast] = bundles.map((b) => b.outfile);
  const file = join(dirname(agent), "config.capnp");
  // capnp reads embedded files relative to the config
  writeFileSync(file, config(relative(dirname(file), agent), relative(dirname(file), forecast)));
  url = `http://127.0.0.1:${await serve(file)}/`;
}, 120000);

afterAll(async () => {
  workerd?.kill("SIGTERM");
  await provider?.close();
});

describe("Cloudflare Workers (workerd)", () => {
  it("delivers each request as one whole trace across two Workers: agent → tool → llm, tokens and cost", async () => {
    // Two requests: the second reuses the isolates (and their tracers) the first made.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { method: "POST", body: "What is the weather in San Francisco?" });
      expect(await res.json()).toEqual({ tool: "weather", forecast: "sunny in San Francisco" });
    }
    const projectId = await waitForProject();
    const spans = await ctx.backend.waitForSpans((all) => wholeTraces(all, 5).length === 2, { projectId, timeoutMs: 20000 });
    for (const traceId of wholeTraces(spans, 5)) {
      const trace = spans.filter((s) => s.traceId === traceId && s.ended);
      expect(trace.map((s) => s.name).sort()).toEqual(["OPENAI_API_CALL", "forecast", "forecast", "lookup", "run"]);
      const { run, OPENAI_API_CALL: llm, lookup } = byName(trace);
      expect(run).toMatchObject({ spanType: "agent", parentSpanId: null });
      expect(llm).toMatchObject({ spanType: "llm", parentSpanId: run.spanId });
      expect(llm.attributes).toMatchObject({
        "judgment.llm.model": "gpt-5.1",
        "judgment.usage.non_cached_input_tokens": 45,
        "judgment.usage.output_tokens": 24,
      });
      expect(llm.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(RECORDED_COST, 10);
      // the first Worker's tool span; under it the second Worker's span, joined through traceparent
      const tool = trace.find((s) => s.name === "forecast" && s.spanType === "tool")!;
      const remote = trace.find((s) => s.name === "forecast" && s.spanType !== "tool")!;
      expect(tool.parentSpanId).toBe(run.spanId);
      expect(remote.parentSpanId).toBe(tool.spanId);
      expect(lookup).toMatchObject({ spanType: "tool", parentSpanId: remote.spanId });
    }
  });
});

/** The project's id once the first Worker's tracer has resolved it. */
async function waitForProject(): Promise<string> {
  await ctx.backend.waitForSpans((all) => all.length > 0, { timeoutMs: 20000 });
  return ctx.backend.projectId(PROJECT)!;
}
