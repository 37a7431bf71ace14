/**
 * `judgeval/mastra`: traces Mastra agents, workflows, tool calls and model calls as judgment
 * spans through an exporter for Mastra's observability (`@mastra/observability`).
 * @packageDocumentation
 */
import type { Context } from "@opentelemetry/api";
import * as observability from "@mastra/core/observability";
import { registerModelCallLookup } from "../../context/model-calls.js";
import { field, str } from "../../llm/read.js";
import { Keys } from "../../wire/keys.js";
import { llmStartAttributes, recordFailure, recordLLMResult, recordValue } from "../common/recorder.js";
import { RunSpans, type Run } from "../common/runs.js";
import { inferenceSummary, providerOf, shapeOf, type SpanShape } from "./span-data.js";

// The bus awaits nothing from an exporter; the work is synchronous, so one settled promise serves all.
const DONE = Promise.resolve();

/** Model inferences in progress, by their own span id and by their step's: their contexts. */
const inferences = new Map<string, Context>();
/** Entries kept at most; spans Mastra never ends must not grow memory forever. */
const MAX_INFERENCES = 10_000;

// A wrapped client called by a Mastra model (a custom AI SDK model) runs while Mastra's current
// span is the model step (or its inference): the call nests under the step's inference span, as
// the same request. (Read through the namespace: older releases of @mastra/core lack it.)
registerModelCallLookup(() => {
  const current = observability.resolveCurrentSpan?.();
  return current ? inferences.get(current.id) : undefined;
});

/**
 * A tracing event as Mastra's observability hands it to an exporter: a span started, updated or
 * ended, with the span's data. (Declared here, not imported: Mastra's own types are ESM-only,
 * which CommonJS type checking under `node16` refuses.)
 */
export interface MastraTracingEvent {
  /** `span_started`, `span_updated` or `span_ended`. */
  type: string;
  /** The span's data: id, parent, type, name, attributes, input, output, error. */
  exportedSpan: unknown;
}

/**
 * An exporter for Mastra's observability (it has the shape of Mastra's `ObservabilityExporter`): every span of an agent or workflow run becomes a
 * judgment span with its kind, nested as Mastra nests them, under the span that was active when
 * the run started (your `@observe` method). Agent and workflow runs are `agent` spans, tool calls
 * `tool` spans, each model inference (one provider request) an `llm` span with model, token
 * usage and cost; the model generation and its steps stay plain spans (their usage totals the
 * inferences'). Spans are recorded with the active judgeval tracer; without one nothing is
 * recorded.
 *
 * @example
 * import { Mastra } from "@mastra/core";
 * import { Observability } from "@mastra/observability";
 * import { JudgevalExporter } from "judgeval/mastra";
 * const mastra = new Mastra({
 *   agents: { weatherAgent },
 *   observability: new Observability({ configs: { judgeval: { serviceName: "weather", exporters: [new JudgevalExporter()] } } }),
 * });
 */
export class JudgevalExporter {
  /** The exporter's name in Mastra's configuration. */
  readonly name = "judgeval";
  private readonly runs = new RunSpans();

  /**
   * Mastra's bus calls this as each span starts, in the code that starts it: a run's first span
   * finds the caller's span active there.
   */
  onTracingEvent(event: MastraTracingEvent): void {
    absorbed(() => {
      // Updates carry nothing the end does not: the span is recorded from its end.
      const type = readOwn(event, "type");
      if (type === "span_started") this.start(readOwn(event, "exportedSpan"));
      else if (type === "span_ended") this.end(readOwn(event, "exportedSpan"));
    });
  }

  /** The same as {@link onTracingEvent}, for a bus that calls exporters this way. */
  exportTracingEvent(event: MastraTracingEvent): Promise<void> {
    this.onTracingEvent(event);
    return DONE;
  }

  /** Nothing is buffered here: spans go through the judgeval tracer's own pipeline. */
  flush(): Promise<void> {
    return DONE;
  }

  shutdown(): Promise<void> {
    return DONE;
  }

  private start(span: unknown): void {
    const { id, parent, type, attributes: mastra } = view(span);
    if (id === undefined) return;
    let shape: SpanShape;
    try {
      shape = shapeOf(type, str(readOwn(span, "entityName")));
      if (shape.kind === "llm")
        Object.assign(shape.attributes, llmStartAttributes(providerOf(mastra), "chat", str(field(mastra, "model"))));
    } catch {
      // a span that cannot be read still gets a plain span
      shape = { kind: "span", attributes: {} };
    }
    const { kind, attributes } = shape;
    if (!kind) return;
    const run = this.runs.start(id, parent, str(readOwn(span, "name")) ?? type, kind, attributes);
    if (!run || kind !== "llm") return;
    if (inferences.size >= MAX_INFERENCES) inferences.clear();
    inferences.set(id, run.ctx);
    if (parent) inferences.set(parent, run.ctx);
  }

  private end(span: unknown): void {
    const { id, parent, type } = view(span);
    if (id === undefined) return;
    inferences.delete(id);
    if (parent && type === INFERENCE) inferences.delete(parent);
    // An event span (a point in time) is reported only as it ends.
    if (!this.runs.knows(id)) this.start(span);
    this.runs.end(id, (run) => finish(run, span, type));
  }
}

/** What locates a Mastra span, each read on its own: one unreadable field leaves the others. */
interface SpanView {
  id: string | undefined;
  parent: string | undefined;
  type: string;
  attributes: unknown;
}

const INFERENCE = "model_inference";

function view(span: unknown): SpanView {
  return {
    id: str(readOwn(span, "id")),
    parent: str(readOwn(span, "parentSpanId")),
    type: str(readOwn(span, "type")) ?? "span",
    attributes: readOwn(span, "attributes"),
  };
}

/** `span[key]`, or undefined when reading it throws. */
function readOwn(span: unknown, key: string): unknown {
  try {
    return field(span, key);
  } catch {
    return undefined;
  }
}

function finish(run: Run, span: unknown, type: string): void {
  const { span: otel, rec } = run;
  if (type === INFERENCE) {
    const attributes = readOwn(span, "attributes");
    recordLLMResult(otel, rec, inferenceSummary(attributes, readOwn(span, "output")), str(field(attributes, "model")));
  } else {
    recordValue(otel, rec, Keys.input, readOwn(span, "input"));
    recordValue(otel, rec, Keys.output, readOwn(span, "output"));
  }
  const error = readOwn(span, "errorInfo");
  if (error) recordFailure(otel, str(readOwn(error, "message")) ?? "Mastra span failed");
}

/** Runs `body`; a tracing fault never reaches the agent or workflow. */
function absorbed(body: () => unknown): void {
  try {
    body();
  } catch {
    // absorbed: see above
  }
}
