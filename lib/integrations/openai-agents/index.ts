/**
 * `judgeval/openai-agents`: traces runs of the OpenAI Agents SDK (`@openai/agents`) as judgment
 * spans through the SDK's own tracing-processor interface.
 * @packageDocumentation
 */
import type { Context } from "@opentelemetry/api";
import { getCurrentSpan, type Span as AgentsSpan, type SpanData, type Trace, type TracingProcessor } from "@openai/agents";
import { registerModelCallLookup } from "../../context/model-calls.js";
import { record } from "../../llm/read.js";
import { Keys } from "../../wire/keys.js";
import { llmStartAttributes, recordFailure, recordLLMResult, recordValue } from "../common/recorder.js";
import { RunSpans, type Run } from "../common/runs.js";
import { parsedOrText } from "../common/text.js";
import { endAttributes, generationSummary, responseSummary, shapeOf, type SpanShape } from "./span-data.js";

// The SDK awaits each callback; the work is synchronous, so one settled promise serves them all.
const DONE = Promise.resolve();

/** Model-call spans (response, generation) in progress, by the SDK's span id: their contexts. */
const modelCalls = new Map<string, Context>();
/** Open model calls kept at most; an SDK that never ends a span must not grow memory forever. */
const MAX_MODEL_CALLS = 10_000;

/** Processors not shut down, each with how it starts a model-call span before the SDK tells it. */
const processors = new Map<JudgevalTracingProcessor, (span: AgentsSpan<SpanData>) => void>();

// A wrapped OpenAI client called by the SDK's model runs while the SDK's current span is the
// response or generation span: its call nests there, as the same request. The SDK tells its
// processors of a span one after another, awaiting each: when another processor comes first
// (addTraceProcessor after the SDK's own exporter), the request can start before this one is
// told, so the span is started here.
registerModelCallLookup(() => {
  const current: AgentsSpan<SpanData> | null = getCurrentSpan();
  if (!current) return undefined;
  if (!modelCalls.has(current.spanId)) for (const startEarly of processors.values()) startEarly(current);
  return modelCalls.get(current.spanId);
});

/**
 * A tracing processor for the OpenAI Agents SDK: every span of a run (task, agent, turn, model
 * response or generation, function tool, handoff, guardrail, custom) becomes a judgment span with
 * its kind (`agent`, `llm`, `tool`, `span`), nested as the SDK nests them, under the span that was
 * active when the run started (your `@observe` method). Model calls carry model, token usage and
 * cost. Spans are recorded with the active judgeval tracer; without one nothing is recorded.
 *
 * @example
 * import { addTraceProcessor } from "@openai/agents";
 * import { JudgevalTracingProcessor } from "judgeval/openai-agents";
 * addTraceProcessor(new JudgevalTracingProcessor());
 */
export class JudgevalTracingProcessor implements TracingProcessor {
  private readonly runs = new RunSpans();

  constructor() {
    processors.set(this, (span) => this.startModelCallEarly(span));
  }

  onTraceStart(trace: Trace): Promise<void> {
    // The trace itself adds no span: its runs start under the caller's span, captured here.
    absorbed(() => this.runs.hide(trace.traceId, undefined));
    return DONE;
  }

  onTraceEnd(trace: Trace): Promise<void> {
    absorbed(() => this.runs.end(trace.traceId));
    return DONE;
  }

  onSpanStart(span: AgentsSpan<SpanData>): Promise<void> {
    let shape: SpanShape;
    try {
      const data = record(span.spanData) ?? {};
      shape = shapeOf(data);
      if (shape.kind === "llm")
        Object.assign(shape.attributes, llmStartAttributes("openai", data.type === "response" ? "responses" : "chat", modelOf(data)));
    } catch {
      // span data that cannot be read still gets a plain span
      shape = { name: "agents span", kind: "span", attributes: {} };
    }
    absorbed(() => {
      const run = this.runs.start(span.spanId, span.parentId ?? span.traceId, shape.name, shape.kind, shape.attributes);
      if (!run || shape.kind !== "llm") return;
      if (modelCalls.size >= MAX_MODEL_CALLS) modelCalls.clear();
      modelCalls.set(span.spanId, run.ctx);
    });
    return DONE;
  }

  onSpanEnd(span: AgentsSpan<SpanData>): Promise<void> {
    absorbed(() => {
      modelCalls.delete(span.spanId);
      this.runs.end(span.spanId, (run) => finish(run, record(span.spanData) ?? {}, span.error));
    });
    return DONE;
  }

  /** Nothing is buffered here: spans go through the judgeval tracer's own pipeline. */
  forceFlush(): Promise<void> {
    return DONE;
  }

  shutdown(): Promise<void> {
    processors.delete(this);
    return DONE;
  }

  /**
   * Starts the span of a model call the SDK has not told this processor of yet, when this
   * processor traces its run (it knows the parent). The SDK's later start callback finds it open.
   */
  private startModelCallEarly(span: AgentsSpan<SpanData>): void {
    absorbed(() => {
      const type = record(span.spanData)?.type;
      if ((type === "response" || type === "generation") && this.runs.knows(span.parentId ?? span.traceId)) void this.onSpanStart(span);
    });
  }
}

/** Runs `body`; a tracing fault never reaches the agent run. */
function absorbed(body: () => unknown): void {
  try {
    body();
  } catch {
    // absorbed: see above
  }
}

function modelOf(data: Record<string, unknown>): string | undefined {
  return typeof data.model === "string" ? data.model : undefined;
}

/** The SDK's error message, with the detail it keeps in `data.error` when there is one. */
function errorText(error: { message: string; data?: Record<string, unknown> }): string {
  const message = typeof error.message === "string" ? error.message : "agent span failed";
  const detail = record(error.data)?.error;
  return typeof detail === "string" && detail !== message ? `${message}: ${detail}` : message;
}

function finish(run: Run, data: Record<string, unknown>, error: { message: string; data?: Record<string, unknown> } | null): void {
  const { span, rec } = run;
  span.setAttributes(endAttributes(data));
  switch (data.type) {
    case "response":
      recordValue(span, rec, Keys.input, data._input);
      recordLLMResult(span, rec, responseSummary(data));
      break;
    case "generation":
      // The SDK names the model once the span has started.
      if (modelOf(data)) span.setAttributes(llmStartAttributes("openai", "chat", modelOf(data)));
      recordValue(span, rec, Keys.input, data.input);
      recordLLMResult(span, rec, generationSummary(data), modelOf(data));
      break;
    case "function":
      recordValue(span, rec, Keys.input, parsedOrText(data.input));
      recordValue(span, rec, Keys.output, parsedOrText(data.output));
      break;
    case "handoff":
      if (typeof data.to_agent === "string") span.updateName(`handoff to ${data.to_agent}`);
      break;
    case "custom":
      recordValue(span, rec, Keys.output, data.data);
      break;
  }
  if (error) recordFailure(span, errorText(error));
}
