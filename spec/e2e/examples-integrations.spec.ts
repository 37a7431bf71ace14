import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { promisify } from "node:util";
import { judgmentEnv, useBackend } from "../support/backend.js";
import { outline } from "../integrations/support/tree.js";
import { weatherRunOutline } from "../integrations/support/agents.js";
import { CHAT_ANSWER, CHAT_TOOL_CALL, RESPONSE_ANSWER, RESPONSE_FUNCTION_CALL } from "../integrations/support/recordings.js";
import { startReplayServer, type ReplayServer } from "../integrations/support/replay.js";
import { startMessagesReplay, type Conversation } from "../integrations/support/messages-replay.js";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import { projectSpans } from "../support/tracing.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const ctx = useBackend();
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

/** Runs an example of docs/integrations.md as written (`file` in examples/, or a path), against the local backend and the replayed model. */
async function example(file: string, more: Record<string, string> = {}): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? "",
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: `${server.url}/v1`,
    ...judgmentEnv(ctx),
    ...more,
  };
  const path = isAbsolute(file) ? file : resolve(root, "examples", file);
  const { stdout } = await run(process.execPath, [path], { cwd: root, env });
  return stdout.trim();
}

/** The outline of the one trace stored for `project`. */
function traceOf(project: string): string[] {
  const spans = projectSpans(ctx, project);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  return outline(spans);
}

describe("the integration examples of docs/integrations.md", () => {
  it("examples/langchain.mjs", async () => {
    server.play(CHAT_TOOL_CALL, CHAT_ANSWER);
    expect(await example("langchain.mjs")).toBe(CHAT_ANSWER.choices[0].message.content);
    expect(traceOf("langchain-example").filter((l) => /^ {0,4}\S/.test(l))).toEqual([
      "ask (agent)",
      "  LangGraph (agent)",
      "    agent (span)",
      "    tools (span)",
      "    agent (span)",
    ]);
  });

  it("examples/openai-agents.mjs", async () => {
    server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER);
    expect(await example("openai-agents.mjs")).toBe("Hello! How can I assist you today?");
    expect(traceOf("openai-agents-example")).toEqual(weatherRunOutline("ask"));
  });

  it("examples/mastra.mjs", async () => {
    server.play(RESPONSE_FUNCTION_CALL, RESPONSE_ANSWER);
    expect(await example("mastra.mjs")).toBe("Hello! How can I assist you today?");
    expect(traceOf("mastra-example")).toEqual([
      "ask (span)",
      "  agent run: 'weather' (agent)",
      "    llm: 'gpt-4o' (span)",
      "      step: 0 (span)",
      "        inference: 0 (llm)",
      "        tool: 'get_weather' (tool)",
      "      step: 1 (span)",
      "        inference: 1 (llm)",
    ]);
    const calls = projectSpans(ctx, "mastra-example").filter((s) => s.spanType === "llm");
    expect(
      calls.map((s) => [
        s.attributes["judgment.llm.model"],
        s.attributes["judgment.usage.non_cached_input_tokens"],
        s.attributes["judgment.usage.output_tokens"],
      ]),
    ).toEqual([
      ["gpt-4o-2024-08-06", 67, 17],
      ["gpt-4o-mini-2024-07-18", 9, 10],
    ]);
  });

  it("examples/openinference.mjs", async () => {
    server.play(CHAT_ANSWER);
    expect(await example("openinference.mjs")).toBe(CHAT_ANSWER.choices[0].message.content);
    expect(traceOf("openinference-example")).toEqual(["ask (span)", "  OpenAI Chat Completions (llm)"]);
    const [call] = ctx.backend.spans().filter((s) => s.resource["service.name"] === "openinference-example" && s.spanType === "llm");
    expect(call.attributes).toMatchObject({
      "judgment.llm.model": "gpt-4o-2024-08-06",
      "judgment.usage.non_cached_input_tokens": 23,
      "judgment.usage.output_tokens": 14,
    });
  });

  it("examples/claude-agent-sdk.mjs", async () => {
    const recorded = join(root, "spec/fixtures/claude-agent-sdk/recordings.json");
    const { conversations } = JSON.parse(readFileSync(recorded, "utf8")) as { conversations: Conversation[] };
    const home = mkdtempSync(join(tmpdir(), "judgeval-claude-home-"));
    const anthropic = await startMessagesReplay(conversations, home);
    try {
      // The SDK's CLI inherits this environment: the loopback API, a config folder of its own.
      const env = {
        ANTHROPIC_BASE_URL: anthropic.url,
        ANTHROPIC_API_KEY: "sk-ant-loopback",
        HOME: home,
        CLAUDE_CONFIG_DIR: home,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        ENABLE_TOOL_SEARCH: "false",
      };
      expect(await example("claude-agent-sdk.mjs", env)).toBe("It's sunny in Rome.");
    } finally {
      await anthropic.close();
      rmSync(home, { recursive: true, force: true });
    }
    expect(traceOf("claude-agent-sdk-example")).toEqual([
      "ask (span)",
      "  Claude Agent (agent)",
      "    anthropic.messages (llm)",
      "    mcp__weather__get_weather (tool)",
      "    anthropic.messages (llm)",
    ]);
  });

  it("examples/mcp-client.mjs with examples/mcp-server.mjs", async () => {
    expect(await example("mcp-client.mjs")).toBe("Sunny in Rome");
    expect(traceOf("mcp-example")).toEqual([
      "ask (span)",
      "  tools/call get_weather (tool)",
      "    tools/call get_weather (tool)",
      "      forecast (span)",
    ]);
  });

  describe("the AI SDK examples, against a replayed OpenAI Responses API", () => {
    // the recordings: the tool call (45 in, 24 out), then the answer (11 in, 11 out)
    const RECORDED_USAGE = [
      ["gpt-5.1", 45, 24],
      ["gpt-5.1", 11, 11],
    ];
    /** Model and tokens of each llm span of `project`, in order. */
    const usageOf = (project: string) =>
      projectSpans(ctx, project)
        .filter((s) => s.spanType === "llm")
        .map((s) => [
          s.attributes["judgment.llm.model"],
          s.attributes["judgment.usage.non_cached_input_tokens"],
          s.attributes["judgment.usage.output_tokens"],
        ]);

    let responses: Awaited<ReturnType<typeof startResponsesReplay>>;
    beforeAll(async () => {
      responses = await startResponsesReplay();
    });
    afterAll(() => responses.close());

    it("examples/ai-sdk-7.mjs", async () => {
      expect(await example("ai-sdk-7.mjs", { OPENAI_BASE_URL: responses.url })).toBe("Word");
      expect(traceOf("ai-sdk-7-example")).toEqual([
        "weatherAgent (agent)",
        "  invoke_agent gpt-5.1 (agent)",
        "    step 1 (span)",
        "      chat gpt-5.1 (llm)",
        "      execute_tool weather (tool)",
        "    step 2 (span)",
        "      chat gpt-5.1 (llm)",
      ]);
      expect(usageOf("ai-sdk-7-example")).toEqual(RECORDED_USAGE);
    });

    it("examples/ai-sdk-6.mjs, in an app whose `ai` and `@ai-sdk/openai` are the 6 line", async () => {
      // this repository installs the 6 line under aliases: the app links them under their own names
      const app = mkdtempSync(join(tmpdir(), "judgeval-ai-sdk-6-"));
      const links: Array<[string, string]> = [
        ["ai", "node_modules/ai-v6"],
        ["@ai-sdk/openai", "node_modules/ai-sdk-openai-v3"],
        ["zod", "node_modules/zod"],
        ["judgeval", "."],
      ];
      for (const [name, target] of links) {
        mkdirSync(dirname(join(app, "node_modules", name)), { recursive: true });
        symlinkSync(join(root, target), join(app, "node_modules", name), "dir");
      }
      copyFileSync(join(root, "examples/ai-sdk-6.mjs"), join(app, "ai-sdk-6.mjs"));
      try {
        expect(await example(join(app, "ai-sdk-6.mjs"), { OPENAI_BASE_URL: responses.url })).toBe("Word");
      } finally {
        rmSync(app, { recursive: true, force: true });
      }
      expect(traceOf("ai-sdk-6-example")).toEqual([
        "weatherAgent (agent)",
        "  ai.generateText (agent)",
        "    ai.generateText.doGenerate (llm)",
        "    ai.toolCall (tool)",
        "    ai.generateText.doGenerate (llm)",
      ]);
      expect(usageOf("ai-sdk-6-example")).toEqual(RECORDED_USAGE);
    });
  });
});
