import { trace, type Context, type Span } from "@opentelemetry/api";
import { setPropagated } from "../../context/propagated.js";
import { messageUsage } from "../../llm/providers/anthropic.js";
import { field, list, str } from "../../llm/read.js";
import type { TokenUsage } from "../../pricing/usage.js";
import { GenAi } from "../../wire/genai-keys.js";
import { Keys } from "../../wire/keys.js";
import { llmStartAttributes, recordFailure, recordLLMResult, recordValue, startSpan, type Recorder } from "../common/recorder.js";

/** Prefix of the attributes this integration adds beside the judgment ones. */
const PREFIX = "claude_agent_sdk";

/** Model the CLI names on the assistant messages it makes up itself (API errors, interrupts). */
const SYNTHETIC_MODEL = "<synthetic>";

/** Open spans of one kind kept at most per run; a run that never closes them must not grow memory forever. */
const MAX_OPEN = 10_000;

/** One model response (an API request of the CLI) being recorded. */
interface Turn {
  span: Span;
  /** The tool use this turn's agent runs under (a subagent's), "" for the main agent. */
  thread: string;
  model?: string;
  id?: string;
  usage?: TokenUsage;
  /** The usage is final: from the stream's `message_delta`, or the subagent's result. */
  settled: boolean;
  stopReason?: string;
  content: unknown[];
}

/** One tool use being recorded. */
interface ToolUse {
  span: Span;
  ctx: Context;
}

/**
 * The spans of one `query()` run, fed with the SDK's messages as the caller reads them: an
 * `agent` span for the run, an `llm` span per model response, a `tool` span per tool use, a
 * subagent's responses and tools under the tool use that started it. Every method absorbs its
 * own faults: nothing read from a message can throw into the caller's loop.
 */
export class QueryRun {
  readonly ctx: Context;
  private readonly agent: Span;
  /** Open model responses by message id. */
  private readonly turns = new Map<string, Turn>();
  /** The open response of each thread ("" the main agent, else the subagent's tool use id). */
  private readonly current = new Map<string, Turn>();
  private readonly tools = new Map<string, ToolUse>();
  /** The model each thread's last response named. */
  private readonly models = new Map<string, string>();
  private sessionId?: string;
  private failureRecorded = false;
  private resultSeen = false;
  private interrupted = false;
  private ended = false;

  constructor(
    private readonly rec: Recorder,
    parent: Context,
    prompt: unknown,
    resume: string | undefined,
  ) {
    this.agent = startSpan(rec, "Claude Agent", "agent", parent);
    this.ctx = trace.setSpan(parent, this.agent);
    if (typeof prompt === "string") recordValue(this.agent, rec, Keys.input, prompt);
    if (resume) this.agent.setAttribute(`${PREFIX}.resume`, resume);
  }

  /** Records what `message` tells. Never throws. */
  handle(message: unknown): void {
    if (this.ended) return;
    try {
      this.session(str(field(message, "session_id")));
      const thread = str(field(message, "parent_tool_use_id")) ?? "";
      switch (field(message, "type")) {
        case "stream_event":
          return this.streamEvent(thread, field(message, "event"));
        case "assistant":
          return this.assistant(thread, field(message, "message"), field(message, "aborted") === true);
        case "user":
          return this.toolResults(thread, message);
        case "system":
          return this.system(message);
        case "result":
          return this.result(message);
      }
    } catch {
      // an unexpected message shape leaves the spans as they are
    }
  }

  /** The caller asked the run to stop (`interrupt()`). */
  interrupt(): void {
    if (this.ended) return;
    this.interrupted = true;
    this.agent.setAttribute(`${PREFIX}.interrupted`, true);
  }

  /**
   * Ends every open span: the run is over (`error` when the SDK's iterator threw it, `early`
   * when the caller stopped reading or closed the query before a result). Never throws.
   */
  finish(outcome: { error?: unknown; early?: boolean } = {}): void {
    if (this.ended) return;
    this.ended = true;
    try {
      for (const turn of [...this.turns.values()]) this.endTurn(turn);
      for (const tool of this.tools.values()) tool.span.end();
      this.tools.clear();
      if (outcome.early && !this.resultSeen) this.agent.setAttribute(`${PREFIX}.stopped_early`, true);
      if ("error" in outcome && !this.failureRecorded) recordFailure(this.agent, outcome.error);
    } catch {
      // ending is all that is left to do
    } finally {
      this.agent.end();
    }
  }

  /** The SDK's session id becomes the judgment session of the run's spans (and its later children). */
  private session(id: string | undefined): void {
    if (!id || id === this.sessionId) return;
    this.sessionId = id;
    setPropagated(this.agent, Keys.sessionId, id);
  }

  /** Where spans of `thread` start: under the subagent's tool use, else under the run. */
  private parent(thread: string): Context {
    return (thread && this.tools.get(thread)?.ctx) || this.ctx;
  }

  private startTurn(thread: string, message: unknown): Turn | undefined {
    const id = str(field(message, "id"));
    const model = str(field(message, "model"));
    if (model === SYNTHETIC_MODEL) return undefined;
    const existing = id === undefined ? undefined : this.turns.get(id);
    if (existing) return existing;
    if (model) this.models.set(thread, model);
    const previous = this.current.get(thread);
    if (previous) this.endTurn(previous);
    if (this.turns.size >= MAX_OPEN) return undefined;
    const span = startSpan(this.rec, "anthropic.messages", "llm", this.parent(thread), llmStartAttributes("anthropic", "chat", model));
    const turn: Turn = { span, thread, model, id, usage: messageUsage(field(message, "usage")), settled: false, content: [] };
    this.turns.set(id ?? `#${this.turns.size}`, turn);
    this.current.set(thread, turn);
    return turn;
  }

  private endTurn(turn: Turn): void {
    if (this.current.get(turn.thread) === turn) this.current.delete(turn.thread);
    for (const [key, open] of this.turns) if (open === turn) this.turns.delete(key);
    if (!turn.settled && turn.usage) {
      // What the CLI knew at the response's start: the input side is final, the output count is not.
      turn.usage = { ...turn.usage, output: undefined };
      turn.span.setAttribute(`${PREFIX}.output_tokens_unknown`, true);
    }
    recordLLMResult(turn.span, this.rec, {
      model: turn.model,
      id: turn.id,
      usage: turn.usage,
      finishReasons: turn.stopReason ? [turn.stopReason] : undefined,
      output: turn.content.length ? { role: "assistant", content: turn.content } : undefined,
    });
    turn.span.end();
  }

  /**
   * Stream events (the SDK's partial messages) bring a response's final usage: `message_start`
   * has the input side, `message_delta` the output tokens once the response is complete.
   */
  private streamEvent(thread: string, event: unknown): void {
    switch (field(event, "type")) {
      case "message_start":
        this.startTurn(thread, field(event, "message"));
        break;
      case "message_delta": {
        const turn = this.current.get(thread);
        if (!turn) break;
        turn.usage = messageUsage(field(event, "usage"), turn.usage ?? {}) ?? turn.usage;
        turn.settled = true;
        turn.stopReason = str(field(field(event, "delta"), "stop_reason")) ?? turn.stopReason;
        break;
      }
      case "message_stop": {
        const turn = this.current.get(thread);
        if (turn) this.endTurn(turn);
        break;
      }
    }
  }

  /**
   * An assistant message holds one content block of a response (several share its id). A
   * response seen only this way (a subagent's: its stream events are not forwarded) keeps the
   * usage the CLI knew when the response started, corrected by the subagent's result.
   */
  private assistant(thread: string, message: unknown, aborted: boolean): void {
    const id = str(field(message, "id"));
    const turn = (id !== undefined && this.turns.get(id)) || this.startTurn(thread, message);
    for (const block of list(field(message, "content"))) {
      turn?.content.push(block);
      if (field(block, "type") === "tool_use") this.startTool(thread, block);
    }
    if (!turn) return;
    turn.stopReason = str(field(message, "stop_reason")) ?? turn.stopReason;
    // Cut short by an interrupt: the response never finished.
    if (aborted) turn.span.setAttribute(`${PREFIX}.aborted`, true);
  }

  private startTool(thread: string, block: unknown): void {
    const id = str(field(block, "id"));
    if (!id || this.tools.has(id) || this.tools.size >= MAX_OPEN) return;
    const name = str(field(block, "name")) ?? "tool";
    const parent = this.parent(thread);
    const span = startSpan(this.rec, name, "tool", parent, {
      [GenAi.operationName]: "execute_tool",
      [GenAi.toolName]: name,
      [GenAi.toolCallId]: id,
    });
    recordValue(span, this.rec, Keys.input, field(block, "input"));
    this.tools.set(id, { span, ctx: trace.setSpan(parent, span) });
  }

  /** A user message of the run carries tool results: each ends its tool use. */
  private toolResults(thread: string, message: unknown): void {
    const blocks = list(field(field(message, "message"), "content")).filter((b) => field(b, "type") === "tool_result");
    if (blocks.length) {
      const turn = this.current.get(thread);
      if (turn) this.endTurn(turn);
    }
    const structured = field(message, "tool_use_result");
    for (const block of blocks) {
      const id = str(field(block, "tool_use_id"));
      const tool = id === undefined ? undefined : this.tools.get(id);
      if (!id || !tool) continue;
      this.endSubagent(id, blocks.length === 1 ? structured : undefined);
      this.tools.delete(id);
      recordValue(tool.span, this.rec, Keys.output, field(block, "content"));
      if (field(block, "is_error") === true) recordFailure(tool.span, toolErrorText(field(block, "content")));
      tool.span.end();
    }
  }

  /**
   * A subagent's tool use ended: its last response, which the CLI does not forward as a message,
   * is recorded from the subagent's result (`usage` of that response, `content` its text). When
   * that response was forwarded after all (the same input usage), the result settles its usage.
   */
  private endSubagent(id: string, result: unknown): void {
    const open = this.current.get(id);
    const usage = messageUsage(field(result, "usage"));
    if (!usage || field(result, "status") !== "completed") {
      if (open) this.endTurn(open);
      return;
    }
    if (open && sameInput(open.usage, usage)) {
      Object.assign(open, { usage, settled: true });
      return this.endTurn(open);
    }
    if (open) this.endTurn(open);
    const model = str(field(result, "resolvedModel")) ?? this.models.get(id);
    const span = startSpan(this.rec, "anthropic.messages", "llm", this.parent(id), llmStartAttributes("anthropic", "chat", model));
    this.endTurn({ span, thread: id, model, usage, settled: true, content: [...list(field(result, "content"))] });
  }

  private system(message: unknown): void {
    const subtype = field(message, "subtype");
    if (subtype === "init") {
      const model = str(field(message, "model"));
      if (model) this.agent.setAttribute(`${PREFIX}.model`, model);
    } else if (subtype === "task_started") {
      const tool = this.tools.get(str(field(message, "tool_use_id")) ?? "");
      const type = str(field(message, "subagent_type"));
      if (tool && type) tool.span.setAttribute(`${PREFIX}.subagent_type`, type);
    }
  }

  /**
   * The result ends a turn of the conversation (one per `query()` with a string prompt): its
   * text, the CLI's own totals (running totals across turns of a streaming-input session) and,
   * when the turn failed, the failure (once).
   */
  private result(message: unknown): void {
    this.resultSeen = true;
    const set = (key: string, value: unknown) => {
      if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
        this.agent.setAttribute(`${PREFIX}.${key}`, value);
    };
    set("subtype", field(message, "subtype"));
    set("num_turns", field(message, "num_turns"));
    set("duration_ms", field(message, "duration_ms"));
    set("total_cost_usd", field(message, "total_cost_usd"));
    set("stop_reason", field(message, "stop_reason"));
    const text = field(message, "result");
    recordValue(this.agent, this.rec, Keys.output, text);
    const failed = field(message, "is_error") === true || (str(field(message, "subtype")) ?? "success") !== "success";
    if (failed && !this.failureRecorded && !this.interrupted) {
      this.failureRecorded = true;
      const errors = list(field(message, "errors")).filter((e): e is string => typeof e === "string");
      recordFailure(this.agent, str(text) ?? (errors.join("; ") || `query ended: ${String(field(message, "subtype"))}`));
    }
  }
}

/** Whether two usages of one response agree on its input (the part known at its start). */
function sameInput(a: TokenUsage | undefined, b: TokenUsage): boolean {
  return a !== undefined && a.nonCachedInput === b.nonCachedInput && a.cacheRead === b.cacheRead && a.cacheCreation === b.cacheCreation;
}

/** The text of a failed tool result (a string, or text blocks). */
function toolErrorText(content: unknown): string {
  if (typeof content === "string") return content;
  const texts = list(content)
    .map((b) => str(field(b, "text")))
    .filter((t): t is string => t !== undefined);
  return texts.join("\n") || "tool failed";
}
