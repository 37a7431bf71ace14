import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { fixtureEnv, useBackend } from "../support/backend.js";
import { usd } from "../llm/support.js";
import { CHAT_ANSWER, CHAT_TOOL_CALL, PRICES } from "../integrations/support/recordings.js";
import { expectAllPlayed, startReplayServer, type ReplayServer } from "../integrations/support/replay.js";
import { outline } from "../integrations/support/tree.js";
import { projectSpans } from "../support/tracing.js";

const run = promisify(execFile);
const script = resolve(__dirname, "../fixtures/mastra/weather.mjs");
const ctx = useBackend();
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
afterEach(() => expectAllPlayed(server));

/** The two recorded requests: gpt-4o asks for get_weather, then answers; none cached. */
const CALLS = [CHAT_TOOL_CALL, CHAT_ANSWER].map(({ model, usage }) => ({
  model,
  input: usage.prompt_tokens,
  output: usage.completion_tokens,
  cost: usd([
    [usage.prompt_tokens, PRICES["gpt-4o"].input],
    [usage.completion_tokens, PRICES["gpt-4o"].output],
  ]),
}));

/** Runs the Mastra app in a child process (Mastra loads ESM-only packages) and returns its trace as the backend stored it. */
async function mastraTrace(mode: "agent" | "workflow" | "wrapped"): Promise<StoredSpan[]> {
  const project = `mastra-${mode}`;
  const env = {
    ...process.env,
    ...fixtureEnv(ctx, project),
    PROVIDER_URL: `${server.url}/v1`,
    MODE: mode,
  };
  server.play(CHAT_TOOL_CALL, CHAT_ANSWER);
  const { stdout } = await run(process.execPath, [script], { env });
  expect(JSON.parse(stdout.trim().split("\n").pop() ?? "{}")).toEqual({ answer: CHAT_ANSWER.choices[0].message.content });
  const spans = projectSpans(ctx, project);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  return spans;
}

/** The agent run as judgment spans: Mastra's nesting, one llm span per request (`llm` names it). */
function agentOutline(depth: number, llm: (step: number) => string[]): string[] {
  const pad = "  ".repeat(depth);
  return [
    `${pad}agent run: 'weather' (agent)`,
    `${pad}  llm: 'gpt-4o' (span)`,
    `${pad}    step: 0 (span)`,
    ...llm(0).map((line) => `${pad}      ${line}`),
    `${pad}      tool: 'get_weather' (tool)`,
    `${pad}    step: 1 (span)`,
    ...llm(1).map((line) => `${pad}      ${line}`),
  ];
}

/** Checks the llm spans against the recording: one per request, model, tokens and cost, totals counted once. */
function expectCalls(trace: StoredSpan[]): void {
  const calls = trace.filter((s) => s.spanType === "llm");
  expect(calls).toHaveLength(CALLS.length);
  calls.forEach((call, i) => {
    expect(call.attributes).toMatchObject({
      "judgment.llm.provider": "openai",
      "judgment.llm.model": CALLS[i].model,
      "judgment.usage.non_cached_input_tokens": CALLS[i].input,
      "judgment.usage.output_tokens": CALLS[i].output,
    });
    expect(call.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(CALLS[i].cost, 12);
  });
  const total = (key: string) => trace.reduce((sum, s) => sum + (typeof s.attributes[key] === "number" ? s.attributes[key] : 0), 0);
  expect(total("judgment.usage.non_cached_input_tokens")).toBe(CALLS[0].input + CALLS[1].input);
  expect(total("judgment.usage.output_tokens")).toBe(CALLS[0].output + CALLS[1].output);
  expect(total("judgment.usage.total_cost_usd")).toBeCloseTo(CALLS[0].cost + CALLS[1].cost, 12);
}

describe("judgeval/mastra: Mastra's observability exporter", () => {
  it("an agent with a tool under the caller's span: agent, llm per inference with model, tokens and cost, tool", async () => {
    const trace = await mastraTrace("agent");
    expect(outline(trace)).toEqual(["caller (span)", ...agentOutline(1, (step) => [`inference: ${step} (llm)`])]);
    expectCalls(trace);
    const tool = trace.find((s) => s.spanType === "tool")!;
    expect(tool.attributes["judgment.input"]).toBe(JSON.stringify({ location: "Shanghai" }));
    expect(tool.attributes["judgment.output"]).toBe(JSON.stringify("Sunny in Shanghai"));
    const agent = trace.find((s) => s.spanType === "agent")!;
    expect(agent.attributes["judgment.input"]).toBe(JSON.stringify("Weather in Shanghai?"));
    expect(agent.attributes["judgment.usage.total_cost_usd"]).toBeUndefined();
  });

  it("a workflow whose step runs the agent: the workflow an agent span, the agent's spans nested in its step", async () => {
    const trace = await mastraTrace("workflow");
    expect(outline(trace)).toEqual([
      "caller (span)",
      "  workflow run: 'forecast' (agent)",
      "    workflow step: 'ask' (span)",
      ...agentOutline(3, (step) => [`inference: ${step} (llm)`]),
    ]);
    expectCalls(trace);
    const workflow = trace.find((s) => s.name === "workflow run: 'forecast'")!;
    expect(workflow.attributes["judgment.output"]).toBe(JSON.stringify({ text: CHAT_ANSWER.choices[0].message.content }));
  });

  it("a model over a wrapped client: one llm span per request (the wrapped call's, in Mastra's inference span)", async () => {
    const trace = await mastraTrace("wrapped");
    expect(outline(trace)).toEqual([
      "caller (span)",
      ...agentOutline(1, (step) => [`inference: ${step} (span)`, "  OPENAI_API_CALL (llm)"]),
    ]);
    expectCalls(trace);
  });
});
