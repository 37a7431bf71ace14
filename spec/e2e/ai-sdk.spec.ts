import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { fixtureEnv, useBackend } from "../support/backend.js";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { CHAT_ANSWER, CHAT_TOOL_CALL, PRICES } from "../integrations/support/recordings.js";
import { startReplayServer } from "../integrations/support/replay.js";
import { outline } from "../integrations/support/tree.js";
import { projectSpans } from "../support/tracing.js";

const run = promisify(execFile);
const script = resolve(__dirname, "../fixtures/ai-sdk/weather-agent.mjs");
const ctx = useBackend();
let provider: Loopback;
beforeAll(async () => {
  provider = await startResponsesReplay();
});
afterAll(() => provider.close());

// gpt-5.1 at $1.25 per million input tokens and $10 per million output tokens; the recordings
// report 45 in / 24 out for the tool call, 11 in / 11 out for the answer, none cached.
const CALLS = [
  { input: 45, output: 24, cost: (45 * 1.25 + 24 * 10) / 1e6 },
  { input: 11, output: 11, cost: (11 * 1.25 + 11 * 10) / 1e6 },
];

/** The recorded answers: the streamed recording is another response than the JSON one. */
const ANSWER = { generate: "Word", stream: "Hello" };

/** Runs the weather agent in a child process (the AI SDK 7 is ESM only) and returns its trace as the backend stored it. */
async function agentTrace(version: 6 | 7, mode: "generate" | "stream"): Promise<StoredSpan[]> {
  const project = `ai-sdk-${version}-${mode}`;
  const env = {
    ...process.env,
    ...fixtureEnv(ctx, project),
    PROVIDER_URL: provider.url,
    AI_SDK: String(version),
    MODE: mode,
  };
  const { stdout } = await run(process.execPath, [script], { env });
  expect(JSON.parse(stdout.trim().split("\n").pop() ?? "{}")).toEqual({ answer: ANSWER[mode] });
  const isRoot = (s: StoredSpan) => s.name === "weatherAgent" && s.resource["service.name"] === project;
  const spans = await ctx.backend.waitForSpans((all) => {
    const root = all.find(isRoot);
    return !!root && all.filter((s) => s.traceId === root.traceId && s.spanType === "llm").length >= 2;
  });
  const root = spans.find(isRoot);
  return spans.filter((s) => s.traceId === root?.traceId);
}

/** A string attribute's value ("" when absent or not a string). */
function text(span: StoredSpan, key: string): string {
  const value = span.attributes[key];
  return typeof value === "string" ? value : "";
}

function descendsFrom(span: StoredSpan, ancestor: StoredSpan, trace: StoredSpan[]): boolean {
  for (let at: StoredSpan | undefined = span; at; at = trace.find((s) => s.spanId === at?.parentSpanId)) {
    if (at.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}

describe.each([6, 7] as const)("AI SDK %i", (version) => {
  it.each(["generate", "stream"] as const)(
    "%sText with a tool over two steps: agent → llm, tool, llm with model, tokens and cost",
    async (mode) => {
      const trace = await agentTrace(version, mode);
      const root = trace.find((s) => s.name === "weatherAgent");
      expect(root?.spanType).toBe("agent");
      expect(root?.attributes["judgment.output"]).toBe(JSON.stringify(ANSWER[mode]));

      // The SDK's run span: an agent span under ours, its totals not counted as a call.
      const run = trace.find((s) => s !== root && s.spanType === "agent");
      expect(run?.parentSpanId).toBe(root?.spanId);
      expect(run?.attributes["judgment.usage.total_cost_usd"]).toBeUndefined();

      const calls = trace
        .filter((s) => s.spanType === "llm")
        .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
      expect(calls).toHaveLength(2);
      calls.forEach((call, i) => {
        expect(descendsFrom(call, run!, trace)).toBe(true);
        expect(call.attributes).toMatchObject({
          "judgment.llm.model": "gpt-5.1",
          "judgment.llm.provider": "openai",
          "judgment.usage.non_cached_input_tokens": CALLS[i].input,
          "judgment.usage.cache_read_input_tokens": 0,
          "judgment.usage.output_tokens": CALLS[i].output,
        });
        expect(call.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(CALLS[i].cost, 12);
        expect(text(call, "judgment.input")).toContain("What is the weather in San Francisco?");
      });
      expect(text(calls[0], "judgment.output")).toContain("weather");
      expect(text(calls[1], "judgment.output")).toContain(ANSWER[mode]);

      const tools = trace.filter((s) => s.spanType === "tool");
      expect(tools).toHaveLength(1);
      expect(descendsFrom(tools[0], run!, trace)).toBe(true);
      expect(JSON.parse(text(tools[0], "judgment.input"))).toEqual({ location: "San Francisco" });
      expect(JSON.parse(text(tools[0], "judgment.output"))).toEqual({ location: "San Francisco", temperatureF: 72 });
    },
  );
});

/** The trace of the wrapped-client run: the SDK's model-call span holds the wrapped call and stays plain. */
const WRAPPED_OUTLINE = {
  6: [
    "caller (span)",
    "  ai.generateText (agent)",
    "    ai.generateText.doGenerate (span)",
    "      OPENAI_API_CALL (llm)",
    "    ai.toolCall (tool)",
    "    ai.generateText.doGenerate (span)",
    "      OPENAI_API_CALL (llm)",
  ],
  7: [
    "caller (span)",
    "  invoke_agent gpt-4o (agent)",
    "    step 1 (span)",
    "      chat gpt-4o (span)",
    "        OPENAI_API_CALL (llm)",
    "      execute_tool get_weather (tool)",
    "    step 2 (span)",
    "      chat gpt-4o (span)",
    "        OPENAI_API_CALL (llm)",
  ],
};

describe.each([6, 7] as const)("AI SDK %i with a model over a wrapped client", (version) => {
  it("one llm span per request: the wrapped call's, in the SDK's model-call span; totals equal the recording's", async () => {
    const project = `ai-sdk-${version}-wrapped`;
    const chat = await startReplayServer();
    try {
      chat.play(CHAT_TOOL_CALL, CHAT_ANSWER);
      const env = {
        ...process.env,
        ...fixtureEnv(ctx, project),
        PROVIDER_URL: `${chat.url}/v1`,
        AI_SDK: String(version),
      };
      const { stdout } = await run(process.execPath, [resolve(__dirname, "../fixtures/ai-sdk/wrapped-client.mjs")], { env });
      expect(JSON.parse(stdout.trim().split("\n").pop() ?? "{}")).toEqual({ answer: CHAT_ANSWER.choices[0].message.content });
    } finally {
      await chat.close();
    }
    const trace = projectSpans(ctx, project);
    expect(outline(trace)).toEqual(WRAPPED_OUTLINE[version]);
    const recorded = [CHAT_TOOL_CALL.usage, CHAT_ANSWER.usage];
    const total = (key: string) => trace.reduce((sum, s) => sum + (typeof s.attributes[key] === "number" ? s.attributes[key] : 0), 0);
    expect(total("judgment.usage.non_cached_input_tokens")).toBe(recorded[0].prompt_tokens + recorded[1].prompt_tokens);
    expect(total("judgment.usage.output_tokens")).toBe(recorded[0].completion_tokens + recorded[1].completion_tokens);
    const price = PRICES["gpt-4o"];
    const cost = recorded.reduce((sum, u) => sum + (u.prompt_tokens * price.input + u.completion_tokens * price.output) / 1e6, 0);
    expect(total("judgment.usage.total_cost_usd")).toBeCloseTo(cost, 12);
  });
});
