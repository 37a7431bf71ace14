import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { judgmentEnv, useBackend } from "../support/backend.js";
import { io } from "../support/tracing.js";
import { outline } from "../integrations/support/tree.js";
import { startMessagesReplay, type Conversation } from "../integrations/support/messages-replay.js";
import { projectSpans } from "../support/tracing.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const fixtures = resolve(root, "spec/fixtures/claude-agent-sdk");
const recordings = JSON.parse(readFileSync(join(fixtures, "recordings.json"), "utf8")) as { conversations: Conversation[] };
const [main, subagent] = recordings.conversations;
const PROJECT = "claude-agent-sdk-spec";
const ctx = useBackend();

type Usage = Record<string, number>;
interface Seen {
  types: string[];
  result: { usage: Usage; session_id: string; total_cost_usd: number; modelUsage: Record<string, { outputTokens: number }> };
}

/** Sonnet 4.5 list prices (USD per million tokens), as the price table has them. */
const PRICE = { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 };

function usageOf(turn: unknown): Usage {
  return (turn as { usage: Usage }).usage;
}

function costOf(u: Usage): number {
  return (
    (u.input_tokens * PRICE.input +
      u.cache_creation_input_tokens * PRICE.cacheWrite +
      u.cache_read_input_tokens * PRICE.cachedInput +
      u.output_tokens * PRICE.output) /
    1e6
  );
}

function tokens(span: StoredSpan): Usage {
  const a = span.attributes;
  return {
    input_tokens: a["judgment.usage.non_cached_input_tokens"] as number,
    cache_creation_input_tokens: a["judgment.usage.cache_creation_input_tokens"] as number,
    cache_read_input_tokens: a["judgment.usage.cache_read_input_tokens"] as number,
    output_tokens: a["judgment.usage.output_tokens"] as number,
  };
}

function sum(spans: StoredSpan[], key: string): number {
  return spans.reduce((total, s) => total + ((s.attributes[key] as number | undefined) ?? 0), 0);
}

describe("judgeval/claude-agent-sdk: the SDK's bundled CLI against recorded Messages responses", () => {
  let spans: StoredSpan[];
  let out: { first: Seen; resumed: Seen; error: string; interruptError: string; interruptedTypes: string[]; hookCalls: string[] };
  const work = mkdtempSync(join(tmpdir(), "judgeval-claude-"));
  const config = mkdtempSync(join(tmpdir(), "judgeval-claude-home-"));

  beforeAll(async () => {
    writeFileSync(join(work, "notes.txt"), "The launch code is 4217.\n");
    const server = await startMessagesReplay(recordings.conversations, work);
    try {
      const env = {
        PATH: process.env.PATH ?? "",
        PROJECT,
        WORK_DIR: work,
        CONFIG_DIR: config,
        ANTHROPIC_BASE_URL: server.url,
        ...judgmentEnv(ctx),
      };
      const { stdout } = await run(process.execPath, [join(fixtures, "run.mjs")], { cwd: root, env });
      out = JSON.parse(stdout) as typeof out;
    } finally {
      await server.close();
    }
    // The script shut its tracer down before printing: every span was delivered.
    spans = projectSpans(ctx, PROJECT);
  }, 120_000);
  /** The given spans and everything under them: chosen by the tree, as clocks of different traces need not agree. */
  function within(roots: StoredSpan[]): StoredSpan[] {
    const found = [...roots];
    for (const span of found) found.push(...spans.filter((s) => s.parentSpanId === span.spanId));
    return found;
  }
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  });

  it("nests each run under the caller's @observe span: model turns, tools, the subagent under its tool use", () => {
    expect(outline(spans)).toEqual([
      "ask (span)",
      "  Claude Agent (agent)",
      "    anthropic.messages (llm)",
      "    Read (tool)",
      "    anthropic.messages (llm)",
      "    mcp__weather__get_weather (tool)",
      // the app's span inside the in-process MCP tool handler
      "    forecast (span)",
      "    anthropic.messages (llm)",
      "    Agent (tool)",
      "      anthropic.messages (llm)",
      "      Read (tool)",
      "      anthropic.messages (llm)",
      "    anthropic.messages (llm)",
      "followUp (span)",
      "  Claude Agent (agent)",
      "    anthropic.messages (llm)",
      "ask (span)",
      "  Claude Agent (agent)",
      "interrupted (span)",
      "  Claude Agent (agent)",
      "    anthropic.messages (llm)",
    ]);
    const [first, resumed] = spans.filter((s) => s.spanType === "agent");
    expect(io(first)).toEqual({
      input: "What is the launch code in notes.txt, and the weather in Rome?",
      output: "The launch code is 4217, and it is sunny in Rome.",
    });
    expect(first.attributes).toMatchObject({
      "claude_agent_sdk.num_turns": 4,
      "claude_agent_sdk.total_cost_usd": out.first.result.total_cost_usd,
    });
    expect(resumed.attributes["claude_agent_sdk.resume"]).toBe(out.first.result.session_id);
  });

  it("records each model turn once with model, tokens and cost: the main loop's totals equal the result's usage", () => {
    const [firstRun, resumedRun] = spans.filter((s) => s.spanType === "agent");
    const mainTurns = spans.filter(
      (s) => s.spanType === "llm" && (s.parentSpanId === firstRun.spanId || s.parentSpanId === resumedRun.spanId),
    );
    expect(mainTurns.map(tokens)).toEqual(
      main.turns.map((t) => {
        const { service_tier: _tier, ...u } = usageOf(t);
        return u;
      }),
    );
    for (const [i, span] of mainTurns.entries()) {
      expect(span.attributes).toMatchObject({
        "judgment.llm.provider": "anthropic",
        "judgment.llm.model": "claude-sonnet-4-5-20250929",
        "gen_ai.response.id": (main.turns[i] as { id: string }).id,
      });
      expect(span.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(costOf(usageOf(main.turns[i])), 12);
    }
    const firstLoop = mainTurns.slice(0, 4);
    const { usage } = out.first.result;
    expect(sum(firstLoop, "judgment.usage.non_cached_input_tokens")).toBe(usage.input_tokens);
    expect(sum(firstLoop, "judgment.usage.cache_read_input_tokens")).toBe(usage.cache_read_input_tokens);
    expect(sum(firstLoop, "judgment.usage.cache_creation_input_tokens")).toBe(usage.cache_creation_input_tokens);
    expect(sum(firstLoop, "judgment.usage.output_tokens")).toBe(usage.output_tokens);
    expect(sum([mainTurns[4]], "judgment.usage.output_tokens")).toBe(out.resumed.result.usage.output_tokens);
  });

  it("records the subagent's turns: the last one complete from its result, the others without a final output count", () => {
    const tool = spans.find((s) => s.name === "Agent")!;
    expect(tool.attributes["claude_agent_sdk.subagent_type"]).toBe("general-purpose");
    const [reading, answer] = spans.filter((s) => s.spanType === "llm" && s.parentSpanId === tool.spanId);
    const last = usageOf(subagent.turns[1]);
    expect(tokens(answer)).toEqual({
      ...tokens(answer),
      input_tokens: last.input_tokens,
      cache_read_input_tokens: last.cache_read_input_tokens,
      output_tokens: last.output_tokens,
    });
    expect(answer.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(costOf(last), 12);
    expect(reading.attributes["judgment.usage.non_cached_input_tokens"]).toBe(usageOf(subagent.turns[0]).input_tokens);
    expect(reading.attributes["judgment.usage.output_tokens"]).toBeUndefined();
    expect(reading.attributes["claude_agent_sdk.output_tokens_unknown"]).toBe(true);
    // Every token the CLI counted is on a span, the first subagent turn's output excepted.
    const all = within(spans.filter((s) => s.spanType === "agent").slice(0, 2)).filter((s) => s.spanType === "llm");
    const counted = out.resumed.result.modelUsage["claude-sonnet-4-5"].outputTokens;
    expect(sum(all, "judgment.usage.output_tokens")).toBe(counted - usageOf(subagent.turns[0]).output_tokens);
  });

  it("records tool inputs and results: a built-in tool, an in-process MCP tool, the subagent's tool", () => {
    const [read, subRead] = spans.filter((s) => s.name === "Read");
    expect(io(read)).toEqual({ input: { file_path: join(work, "notes.txt") }, output: "1\tThe launch code is 4217.\n2\t" });
    expect(io(subRead).input).toEqual({ file_path: join(work, "notes.txt") });
    const mcp = spans.find((s) => s.name === "mcp__weather__get_weather")!;
    expect(io(mcp)).toEqual({ input: { city: "Rome" }, output: [{ type: "text", text: "Sunny in Rome" }] });
    expect(mcp.attributes["gen_ai.tool.call.id"]).toBe("toolu_01Rs2TuV4wXy6ZaB8cDe0FgH");
    // The caller's own hook ran for each tool, as without tracing.
    expect(out.hookCalls).toEqual(["Read", "mcp__weather__get_weather", "Read", "Agent"]);
  });

  it("makes the SDK's session id the judgment session of a run and of its resumption", () => {
    const { session_id } = out.first.result;
    const [first, resumed] = spans.filter((s) => s.spanType === "agent");
    const inFirstTwo = within([first, resumed]);
    expect(new Set(inFirstTwo.map((s) => s.attributes["judgment.session_id"]))).toEqual(new Set([session_id]));
    expect(out.resumed.result.session_id).toBe(session_id);
  });

  it("records an API error once on the run; the caller's iterator throws as without tracing", () => {
    expect(out.error).toBe("Claude Code returned an error result: Credit balance is too low");
    const failed = spans.filter((s) => s.spanType === "agent")[2];
    expect(failed.name).toBe("Claude Agent");
    expect(failed.status).toEqual({ code: "error", message: "Credit balance is too low" });
    expect(failed.events.filter((e) => e.name === "exception")).toHaveLength(1);
    expect(spans.find((s) => s.spanId === failed.parentSpanId)!.status.code).toBe("error");
    // The messages the caller reads are the SDK's own: no stream events it did not ask for.
    expect(out.first.types).not.toContain("stream_event");
  });

  it("records an interrupt: the run is marked, the response cut short ends, the SDK's error still reaches the caller", () => {
    expect(out.interruptError).toMatch(/^Claude Code returned an error result/);
    const run = spans.filter((s) => s.spanType === "agent")[3];
    expect(run.attributes["claude_agent_sdk.interrupted"]).toBe(true);
    expect(run.status.code).toBe("error");
    const [turn] = spans.filter((s) => s.spanType === "llm" && s.parentSpanId === run.spanId);
    expect(turn.ended).toBe(true);
    expect(turn.attributes["claude_agent_sdk.aborted"]).toBe(true);
    // This caller asked for the stream events: it got them.
    expect(out.interruptedTypes).toContain("stream_event");
  });
});
