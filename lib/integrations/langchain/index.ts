/**
 * `judgeval/langchain`: a LangChain.js callback handler that records chains, chat models, tools,
 * retrievers, agents and LangGraph nodes as judgment spans.
 * @packageDocumentation
 */
import type { Attributes } from "@opentelemetry/api";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { AgentAction, AgentFinish } from "@langchain/core/agents";
import type { LLMResult } from "@langchain/core/outputs";
import type { BaseMessage } from "@langchain/core/messages";
import type { DocumentInterface } from "@langchain/core/documents";
import type { ChainValues } from "@langchain/core/utils/types";
import { field, list, num, record, str } from "../../llm/read.js";
import { GenAi } from "../../wire/genai-keys.js";
import { Keys, type SpanKindName } from "../../wire/keys.js";
import { llmStartAttributes, recordFailure, recordLLMResult, recordValue, type Recorder } from "../common/recorder.js";
import { RunSpans, type Run } from "../common/runs.js";
import { llmSummary, plainDocuments, plainMessage, plainValues } from "./messages.js";
import { parsedOrText } from "../common/text.js";
import { modelRunEnded, modelRunStarted } from "./model-runs.js";

/** How a run appears: its span's name, kind and attributes, and (read only when traced) its input. */
interface RunStart {
  name: string;
  kind: SpanKindName;
  attributes: Attributes;
  input?: () => unknown;
}

/** A run whose description could not be read still gets a span. */
const UNREADABLE: RunStart = { name: "langchain run", kind: "span", attributes: {} };

/** Tag LangGraph and LangChain put on their internal runs (channel writes, routing). */
const HIDDEN = "langsmith:hidden";

/** The last element of a serialized class path (`["langchain", "chat_models", "ChatOpenAI"]`). */
function className(serialized: Serialized | undefined): string | undefined {
  return str(list(field(serialized, "id")).at(-1));
}

/** LangGraph's control flow (interrupts, `Command` to a parent graph) travels as thrown values that are not failures. */
function isBubbleUp(err: unknown): boolean {
  try {
    return (err as { is_bubble_up?: unknown } | null)?.is_bubble_up === true;
  } catch {
    return false;
  }
}

/**
 * A LangChain.js callback handler recording each run as a judgment span: chat models and LLMs as
 * `llm` spans with model, token usage and cost; tools and retrievers as `tool` spans; graphs and
 * agents as `agent` spans; chains and LangGraph nodes as `span`s. Runs nest as LangChain nests
 * them, and the outermost run nests under the span active where it was invoked (your `@observe`
 * method). A failure is recorded once on each run it fails. Spans are recorded with the active
 * judgeval tracer; without one the handler does nothing.
 *
 * @example
 * const handler = new JudgevalCallbackHandler();
 * await graph.invoke({ messages }, { callbacks: [handler] });
 */
export class JudgevalCallbackHandler extends BaseCallbackHandler {
  name = "judgeval_callback_handler";
  private readonly runs = new RunSpans();

  constructor() {
    super();
    // Awaited in line, callbacks run in the invoking async context: the outermost run finds the
    // caller's span, and runs start in the order LangChain starts them.
    this.awaitHandlers = true;
  }

  /**
   * Starts the span of run `runId` as `describe` tells (undefined: a hidden run). Nothing read
   * from LangChain's values can throw into it: an unreadable run still gets a plain span.
   */
  private start(runId: string, parentRunId: string | undefined, describe: () => RunStart | undefined): Run | undefined {
    let run: RunStart | undefined;
    try {
      run = describe();
    } catch {
      run = UNREADABLE;
    }
    try {
      if (!run) return void this.runs.hide(runId, parentRunId);
      const started = this.runs.start(runId, parentRunId, run.name, run.kind, run.attributes);
      if (started && run.input) recordValue(started.span, started.rec, Keys.input, run.input());
      return started;
    } catch {
      // a tracing fault never reaches the chain
      return undefined;
    }
  }

  /** Ends run `runId` with the output `read` gives (read only when the run is traced). */
  private end(runId: string, read: () => unknown): void {
    this.runs.end(runId, (run) => recordValue(run.span, run.rec, Keys.output, read()));
  }

  private fail(runId: string, err: unknown): void {
    this.runs.end(runId, (run) => {
      if (isBubbleUp(err)) run.span.setAttribute("langgraph.interrupted", true);
      else recordFailure(run.span, err);
    });
  }

  // LangChain calls this with the parent run id fourth and the run type seventh, whatever order
  // some of its type declarations give (@langchain/core 1.x declares runType fourth).
  handleChainStart(
    chain: Serialized,
    inputs: ChainValues,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    runType?: string,
    runName?: string,
  ): void {
    this.start(runId, parentRunId, () => {
      if (tags?.includes(HIDDEN)) return undefined;
      const name = runName ?? className(chain) ?? "chain";
      // Runs inside a node inherit its metadata: only the run named after the node is the node.
      const node = str(metadata?.langgraph_node) === name ? name : undefined;
      const attributes: Attributes = { "langchain.run_type": node ? "node" : (str(runType) ?? "chain") };
      if (node) attributes["langgraph.node"] = node;
      const step = num(metadata?.langgraph_step);
      if (node && step !== undefined) attributes["langgraph.step"] = step;
      // A graph or agent executor invoked as a whole, not one of its nodes.
      const agent = !node && /^(LangGraph|CompiledStateGraph|CompiledGraph|AgentExecutor|agent)$/.test(name);
      return { name, kind: agent ? "agent" : "span", attributes, input: () => plainValues(inputs) };
    });
  }

  handleChainEnd(outputs: ChainValues, runId: string): void {
    this.end(runId, () => plainValues(outputs));
  }

  handleChainError(err: unknown, runId: string): void {
    this.fail(runId, err);
  }

  private startModel(
    serialized: Serialized,
    runId: string,
    parentRunId: string | undefined,
    extra: Record<string, unknown> | undefined,
    metadata: Record<string, unknown> | undefined,
    runName: string | undefined,
    input: () => unknown,
  ): void {
    const started = this.start(runId, parentRunId, () => {
      const params = record(extra?.invocation_params);
      const model = str(metadata?.ls_model_name) ?? str(params?.model) ?? str(params?.model_name);
      const provider = str(metadata?.ls_provider) ?? "langchain";
      const attributes = { ...llmStartAttributes(provider, "chat", model), "langchain.run_type": "llm" };
      return { name: str(runName) ?? className(serialized) ?? "llm", kind: "llm", attributes, input };
    });
    // A wrapped client's request made by this model nests in its span, as the same request.
    if (started) modelRunStarted(runId, parentRunId, started.ctx);
  }

  handleChatModelStart(
    llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.startModel(llm, runId, parentRunId, extraParams, metadata, runName, () => {
      const input = list(messages).map((batch) => list(batch).map(plainMessage));
      return input.length === 1 ? input[0] : input;
    });
  }

  handleLLMStart(
    llm: Serialized,
    prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.startModel(llm, runId, parentRunId, extraParams, metadata, runName, () => prompts);
  }

  handleLLMEnd(output: LLMResult, runId: string): void {
    modelRunEnded(runId);
    this.runs.end(runId, (run) => recordLLMResult(run.span, run.rec, llmSummary(output)));
  }

  handleLLMError(err: unknown, runId: string): void {
    modelRunEnded(runId);
    this.fail(runId, err);
  }

  handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    this.start(runId, parentRunId, () => {
      const name = str(runName) ?? str(field(tool, "name")) ?? className(tool) ?? "tool";
      const attributes: Attributes = { "langchain.run_type": "tool", [GenAi.operationName]: "execute_tool", [GenAi.toolName]: name };
      if (str(toolCallId)) attributes[GenAi.toolCallId] = toolCallId;
      return { name, kind: "tool", attributes, input: () => parsedOrText(input) };
    });
  }

  handleToolEnd(output: unknown, runId: string): void {
    this.end(runId, () => {
      // A tool's result usually arrives wrapped in a ToolMessage; its content is the result.
      const message = record(output);
      return message && "content" in message && "tool_call_id" in message ? parsedOrText(message.content) : output;
    });
  }

  handleToolError(err: unknown, runId: string): void {
    this.fail(runId, err);
  }

  handleRetrieverStart(
    retriever: Serialized,
    query: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    name?: string,
  ): void {
    this.start(runId, parentRunId, () => ({
      name: str(name) ?? className(retriever) ?? "retriever",
      kind: "tool",
      attributes: { "langchain.run_type": "retriever" },
      input: () => ({ query }),
    }));
  }

  handleRetrieverEnd(documents: DocumentInterface[], runId: string): void {
    this.end(runId, () => plainDocuments(documents));
  }

  handleRetrieverError(err: unknown, runId: string): void {
    this.fail(runId, err);
  }

  handleAgentAction(action: AgentAction, runId: string): void {
    this.event(runId, "agent_action", (rec) => ({
      tool: str(field(action, "tool")) ?? "",
      tool_input: rec.serialize(field(action, "toolInput")),
    }));
  }

  handleAgentEnd(action: AgentFinish, runId: string): void {
    this.event(runId, "agent_finish", (rec) => ({ output: rec.serialize(field(action, "returnValues")) }));
  }

  /** Adds an event to run `runId`'s span, if traced. Never throws. */
  private event(runId: string, name: string, read: (recorder: Recorder) => Attributes): void {
    try {
      const run = this.runs.get(runId);
      if (run) run.span.addEvent(name, read(run.rec));
    } catch {
      // an unreadable action is left out
    }
  }
}
