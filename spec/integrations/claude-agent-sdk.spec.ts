import fc from "fast-check";
import { wrapClaudeAgentSDK } from "../../lib/integrations/claude-agent-sdk/index.js";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { build, spec } from "../support/hostile.js";
import { projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

// The SDK itself runs in spec/e2e/claude-agent-sdk.spec.ts (its CLI, its ES module); here a
// stand-in module feeds the wrapper what it must absorb: anything at all.
const ctx = useBackend();

/** A module whose `query` yields `messages` (or throws `error` after them), recording what it was given. */
function standIn(messages: unknown[], error?: Error) {
  const given: unknown[] = [];
  return {
    given,
    module: {
      query(params: unknown) {
        given.push(params);
        return (async function* () {
          yield* messages;
          if (error !== undefined) throw error;
        })();
      },
      tool: () => "tool",
    },
  };
}

/** A message of one of the SDK's types whose every field is of any shape. */
const shaped = fc.tuple(fc.constantFrom("assistant", "user", "stream_event", "system", "result"), spec);
function message(type: string, body: Parameters<typeof build>[0]): Record<string, unknown> {
  const fields = ["message", "event", "parent_tool_use_id", "session_id", "subtype", "tool_use_result", "is_error", "result"];
  return Object.fromEntries([["type", type], ...fields.map((f) => [f, build(body)])]);
}

/** A stream event as the wrapper tells one: a message that cannot be read is not. */
function isStreamEvent(message: unknown): boolean {
  try {
    return (message as { type?: unknown } | null)?.type === "stream_event";
  } catch {
    return false;
  }
}

async function outcome(fn: () => Promise<unknown[]>): Promise<{ seen: unknown[] } | { error: unknown }> {
  try {
    return { seen: await fn() };
  } catch (error) {
    return { error };
  }
}

async function drain(iterable: unknown): Promise<unknown[]> {
  const seen: unknown[] = [];
  for await (const m of iterable as AsyncIterable<unknown>) seen.push(m);
  return seen;
}

describe("wrapClaudeAgentSDK at its boundary", () => {
  it("hands the caller every message the SDK yields, whatever their shape, and ends every span", async () => {
    const tracer = await projectTracer(ctx);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(spec, shaped), { maxLength: 6 }), fc.boolean(), async (specs, partial) => {
        const messages = specs.map((s) => (Array.isArray(s) ? message(s[0], s[1]) : build(s)));
        const { query } = wrapClaudeAgentSDK(standIn(messages).module);
        const options = { includePartialMessages: partial };
        // An async generator awaits what it yields: a Proxy whose `then` throws fails the SDK's own iterator.
        const raw = await outcome(() => drain(standIn(messages).module.query({})));
        const traced = await outcome(() => Tracer.span("caller", () => drain(query({ prompt: "hi", options }))));
        runs++;
        expect("error" in traced).toBe("error" in raw);
        if (!("seen" in traced) || !("seen" in raw)) return;
        const handedOn = partial ? raw.seen : raw.seen.filter((m) => !isStreamEvent(m));
        // The same objects, in order (compared by identity: some are Proxies whose traps throw).
        expect(traced.seen.length).toBe(handedOn.length);
        traced.seen.forEach((m, i) => expect(Object.is(m, handedOn[i])).toBe(true));
      }),
      { numRuns: 40 },
    );
    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => s.spanType === "agent")).toHaveLength(runs);
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it("leaves the caller's options as they were and adds partial messages to the copy it sends", async () => {
    await projectTracer(ctx);
    const { module, given } = standIn([]);
    const hooks = { PreToolUse: [] };
    const options = Object.freeze({ model: "claude-sonnet-4-5", hooks });
    await drain(wrapClaudeAgentSDK(module).query({ prompt: "hi", options }));
    expect(options).toEqual({ model: "claude-sonnet-4-5", hooks });
    expect(given).toEqual([{ prompt: "hi", options: { model: "claude-sonnet-4-5", hooks, includePartialMessages: true } }]);
    expect((given[0] as { options: { hooks: unknown } }).options.hooks).toBe(hooks);
  });

  it("rethrows the SDK's error unchanged and records it on the run once", async () => {
    const tracer = await projectTracer(ctx);
    const failure = new Error("Claude Code process exited with code 1");
    const { module } = standIn([{ type: "system", subtype: "init", session_id: "s-1" }], failure);
    await expect(drain(wrapClaudeAgentSDK(module).query({ prompt: "hi" }))).rejects.toBe(failure);
    const [run] = await received(ctx, tracer);
    expect(run.status).toEqual({ code: "error", message: failure.message });
    expect(run.events.filter((e) => e.name === "exception")).toHaveLength(1);
    expect(run.attributes["judgment.session_id"]).toBe("s-1");
  });

  it("returns what is not the SDK as it is, with one warning; wraps once; calls through without a tracer", async () => {
    const notSdk = { version: 1 };
    expect(await captureWarnings(() => expect(wrapClaudeAgentSDK(notSdk as never)).toBe(notSdk))).toEqual([
      expect.stringContaining("wrapClaudeAgentSDK: not the Claude Agent SDK module"),
    ]);
    const { module, given } = standIn([]);
    const once = wrapClaudeAgentSDK(module);
    expect(wrapClaudeAgentSDK(once)).toBe(once);
    expect(once.tool).toBe(module.tool);
    await Tracer.shutdown();
    const params = { prompt: "hi" };
    await drain(once.query(params));
    expect(given[0]).toBe(params);
  });
});
