import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, Span, TimedEvent } from "../../otel/sdk.js";
import type { PriceTable } from "../../pricing/prices.js";
import { lazy } from "../../diag/lazy.js";
import { GenAi, GenAiEvents } from "../../wire/genai-keys.js";
import { Keys } from "../../wire/keys.js";
import { Ai, OpenInference } from "./keys.js";
import type * as GenAiMap from "./map.js";
import { genAiRole } from "./role.js";

// The mapping and the price table load with the first GenAI span.
const genAiMap = lazy("the GenAI span mapping", () => require("./map.js") as typeof GenAiMap);

/** Attributes carrying prompts, messages, arguments and results: what `recordInputOutput: false` keeps in. */
const CONTENT_KEYS = [
  GenAi.inputMessages,
  GenAi.outputMessages,
  GenAi.systemInstructions,
  GenAi.toolCallArguments,
  GenAi.toolCallResult,
  Ai.prompt,
  Ai.promptMessages,
  Ai.responseText,
  Ai.responseToolCalls,
  Ai.responseObject,
  Ai.toolArgs,
  Ai.toolResult,
  GenAi.retrievalQuery,
  GenAi.retrievalDocuments,
  OpenInference.inputValue,
  OpenInference.outputValue,
];

/** Flattened OpenInference lists holding content, by key prefix. */
const CONTENT_PREFIXES = [
  OpenInference.inputMessages,
  OpenInference.outputMessages,
  OpenInference.retrievalDocuments,
  OpenInference.rerankerInputDocuments,
  OpenInference.rerankerOutputDocuments,
  OpenInference.embeddings,
  OpenInference.promptTemplateVariables,
];

const MESSAGE_EVENTS: ReadonlySet<string> = new Set(Object.values(GenAiEvents));

/** Removes the message, argument and document content of a GenAI span and of its message events. */
function dropContent(attributes: Attributes, events: readonly TimedEvent[]): void {
  for (const key of CONTENT_KEYS) delete attributes[key];
  if (attributes[OpenInference.spanKind] !== undefined) {
    for (const key in attributes) if (CONTENT_PREFIXES.some((prefix) => key.startsWith(prefix))) delete attributes[key];
  }
  for (const event of events) {
    // A message event is nothing but content: all of its attributes go.
    if (MESSAGE_EVENTS.has(event.name) && event.attributes) for (const key in event.attributes) delete event.attributes[key];
  }
}

/** What makes a span an llm span with usage: removed from one whose request a wrapped call recorded. */
const CALL_KEYS = [
  Keys.llmProvider,
  Keys.llmModel,
  Keys.nonCachedInputTokens,
  Keys.cacheReadInputTokens,
  Keys.cacheCreationInputTokens,
  Keys.outputTokens,
  Keys.totalCostUsd,
  GenAi.inputTokens,
  GenAi.outputTokens,
  GenAi.cacheReadInputTokens,
  GenAi.cacheCreationInputTokens,
  GenAi.reasoningOutputTokens,
];

/** Turns an llm span into a plain span without model, usage or cost (its input and output stay). */
function asPlainSpan(attributes: Attributes): void {
  attributes[Keys.spanKind] = "span";
  for (const key of CALL_KEYS) delete attributes[key];
}

/** Settings of {@link GenAiSpans}. */
export interface GenAiOptions {
  /** Prices overriding or extending the built-in table. */
  prices?: PriceTable;
  /** False: message and argument content of GenAI spans is dropped (`recordInputOutput: false`). */
  recordContent: boolean;
}

/** Ended wrapped calls remembered at most, waiting for an enclosing library span to end. */
const MAX_REMEMBERED_PARENTS = 1024;

/**
 * Turns spans that follow the OpenTelemetry GenAI conventions, the AI SDK's `ai.*` keys or
 * OpenInference's, from any library, into judgment `llm`, `tool` and `agent` spans at export.
 *
 * One provider call is one llm span: when a client wrapped by `Tracer.wrap` makes the call and a
 * library or a framework integration traces it too (its span is the wrapped span's parent or
 * child), the wrapped span wins — it carries the exact usage split and cost, from the provider's
 * own response — and the other stays (or becomes) a plain span without model, usage or cost.
 */
export class GenAiSpans {
  /** Span ids of wrapped calls in progress: a library span ending under one is the same call. */
  private readonly openCalls = new Set<string>();
  /** Parent span ids of wrapped calls that ended: a library span with that id enclosed one. */
  private readonly callParents = new Set<string>();

  constructor(private readonly options: GenAiOptions) {}

  started(span: Span): void {
    if (span.attributes[Keys.llmProvider] !== undefined) this.openCalls.add(span.spanContext().spanId);
  }

  /** Maps an ended span in place before its export. */
  ended(span: ReadableSpan): void {
    const attributes = span.attributes;
    if (attributes[Keys.llmProvider] !== undefined && this.endedCall(span)) return;
    const role = genAiRole(attributes);
    if (role === undefined) return;
    if (!this.options.recordContent) dropContent(attributes, span.events);
    if (role === "llm" && this.coveredByWrappedCall(span)) return;
    genAiMap()?.mapGenAiSpan(attributes, role, this.options.prices, span.events);
  }

  /** True when `span` is a judgeval llm span (a wrapped call, an integration's model span) that started here. */
  private endedCall(span: ReadableSpan): boolean {
    const spanId = span.spanContext().spanId;
    if (!this.openCalls.delete(spanId)) return false;
    // A framework's model span (OpenAI Agents, LangChain, Mastra) around a wrapped call is the same request.
    if (this.callParents.size > 0 && this.callParents.delete(spanId)) asPlainSpan(span.attributes);
    const parent = span.parentSpanContext?.spanId;
    if (parent) this.rememberParent(parent);
    return true;
  }

  private coveredByWrappedCall(span: ReadableSpan): boolean {
    const parent = span.parentSpanContext?.spanId;
    if (parent !== undefined && this.openCalls.has(parent)) return true;
    return this.callParents.size > 0 && this.callParents.delete(span.spanContext().spanId);
  }

  private rememberParent(spanId: string): void {
    if (this.callParents.size >= MAX_REMEMBERED_PARENTS) this.callParents.clear();
    this.callParents.add(spanId);
  }
}
