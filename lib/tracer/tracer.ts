import { context } from "@opentelemetry/api";
import type { SpanExporter, SpanProcessor } from "../otel/sdk.js";
import type { TracerConfig } from "./options/types.js";
import { activate, activeTracer, isOwnRoot, tracerForRoots, tracerIn, withScope } from "../context/active-tracer.js";
import { log } from "../diag/log.js";
import { allTracers } from "./lifecycle.js";
import { assemble, LIVE, type TracerSetup } from "./assemble.js";
import { DEFAULT_TIMEOUT_MILLIS, type OTELInstrumentation, type TracerRecorder } from "./recorder.js";
import * as annotate from "../api/annotate.js";
import * as spans from "../api/spans.js";
import { observe } from "../api/observe.js";
import * as propagate from "../api/propagate.js";
import { startLinkedTrace } from "../api/linked.js";
import type * as Evaluating from "../api/evaluate.js";
import type * as Tagging from "../api/tag.js";
import { lazy } from "../diag/lazy.js";
import { wrap } from "./lazy-wrap.js";

export type { OTELInstrumentation } from "./recorder.js";

// Platform calls a first span does not need load with their first use.
const evaluating = lazy("asyncEvaluate", () => require("../api/evaluate.js") as typeof Evaluating);
const tagging = lazy("tag", () => require("../api/tag.js") as typeof Tagging);

/**
 * A Judgment tracer: an OpenTelemetry tracer provider exporting to one project, plus the static
 * API (`Tracer.observe`, `Tracer.span`, …) that acts on the active tracer.
 */
export class Tracer {
  /**
   * Settles after the first attempt to resolve the project: resolved, export off (unknown project,
   * missing credentials), or — the backend unreachable — retrying in the background while spans
   * are kept. Never rejects.
   */
  readonly ready: Promise<void>;
  readonly projectName: string | undefined;
  readonly environment: string | undefined;
  /** What instrumentation records into; the process-wide state holds it, not this facade. */
  readonly #recorder: TracerRecorder;
  /** `setActive` as given to `init` (validated): whether `init` makes this tracer the active one. */
  readonly #activeAtInit: boolean;

  protected constructor(given: TracerConfig, setup: TracerSetup = LIVE) {
    const { recorder, projectName, config } = assemble(given, setup);
    this.#recorder = recorder;
    this.#activeAtInit = config.setActive !== false;
    this.ready = recorder.ready;
    this.projectName = projectName;
    this.environment = config.environment;
  }

  /** The resolved project id, once {@link ready} has settled with export on. */
  get projectId(): string | undefined {
    return this.#recorder.projectId;
  }

  /**
   * Creates a tracer and (unless `setActive: false`) makes it the active one. Synchronous: the
   * project is resolved in the background; spans made meanwhile are exported once it is.
   * Throws a `TypeError` naming each option given with a value of the wrong kind.
   */
  static init(config: TracerConfig = {}): Tracer {
    const tracer = new Tracer(config);
    if (tracer.#activeAtInit) tracer.setActive();
    return tracer;
  }

  /**
   * Makes this tracer the one new root spans use in the current async context — inside
   * `tracer.run(fn)` for that scope, elsewhere process-wide (the default of every context that
   * never chose). A trace in progress keeps its tracer: child spans follow their parent's.
   * Refuses (false, with a warning) only while a root span of the current tracer is the active
   * span here.
   */
  setActive(): boolean {
    const ctx = context.active();
    const current = tracerIn(ctx);
    if (current !== undefined && current !== this.#recorder && isOwnRoot(ctx, current)) {
      log.warn("setActive refused: a root span of the active tracer is in progress in this context; call it outside that span.");
      return false;
    }
    activate(this.#recorder);
    return true;
  }

  /** Whether new root spans in the current async context use this tracer. */
  isActive(): boolean {
    return tracerForRoots() === this.#recorder;
  }

  /**
   * Runs `fn` with this tracer active for its async context only (everything it awaits or
   * schedules), leaving other concurrent work on its own tracer. Everything started inside uses
   * this tracer, even under a span of another. Returns what `fn` returns.
   */
  run<R>(fn: () => R): R {
    return context.with(withScope(context.active(), this.#recorder), fn);
  }

  /** The exporter sending this tracer's spans, or undefined when export is off. */
  getSpanExporter(): SpanExporter | undefined {
    return this.#recorder.parts.exporter;
  }

  /** The Judgment span processor of this tracer. */
  getSpanProcessor(): SpanProcessor {
    return this.#recorder.parts.spanProcessor;
  }

  /** Exports every pending span (and waits for tags in flight); true when all were delivered within `timeoutMillis`. */
  async forceFlush(timeoutMillis = DEFAULT_TIMEOUT_MILLIS): Promise<boolean> {
    return this.#recorder.forceFlush(timeoutMillis);
  }

  /**
   * Routes a third-party OpenTelemetry instrumentation's spans through this tracer, and makes
   * W3C trace context the global propagator (unless the app set one) so its requests carry it.
   */
  registerOTELInstrumentation(instrumentation: OTELInstrumentation): void {
    this.#recorder.registerOTELInstrumentation(instrumentation);
  }

  /**
   * Flushes, then stops this tracer; later spans are not exported. If it was the active tracer,
   * the one active before it is again.
   */
  async shutdown(timeoutMillis = DEFAULT_TIMEOUT_MILLIS): Promise<void> {
    return this.#recorder.shutdown(timeoutMillis);
  }

  static observe = observe;
  static span = spans.span;
  static with = spans.span;
  static startSpan = spans.startSpan;
  static startAsCurrentSpan = spans.startAsCurrentSpan;
  static startActiveSpan = spans.startActiveSpan;
  static getCurrentSpan = spans.getCurrentSpan;
  static getOTELTracer = spans.getOTELTracer;
  static setSpanKind = annotate.setSpanKind;
  static setLLMSpan = annotate.setLLMSpan;
  static setToolSpan = annotate.setToolSpan;
  static setGeneralSpan = annotate.setGeneralSpan;
  static setAttribute = annotate.setAttribute;
  static setAttributes = annotate.setAttributes;
  static setInput = annotate.setInput;
  static setOutput = annotate.setOutput;
  static setError = annotate.setError;
  static recordLLMMetadata = annotate.recordLLMMetadata;
  static setCustomerId = propagate.setCustomerId;
  static setCustomerUserId = propagate.setCustomerUserId;
  static setSessionId = propagate.setSessionId;
  static setPropagatingAttribute = propagate.setPropagatingAttribute;
  static scopedContext = propagate.scopedContext;
  static continueTrace = propagate.continueTrace;
  static startLinkedTrace = startLinkedTrace;
  static asyncEvaluate: typeof Evaluating.asyncEvaluate = (judge, example) => evaluating()?.asyncEvaluate(judge, example);
  static tag: typeof Tagging.tag = (tags) => tagging()?.tag(tags);
  static wrap = wrap;

  /** Routes a third-party instrumentation's spans through the active tracer (see the instance method). */
  static registerOTELInstrumentation(instrumentation: OTELInstrumentation): void {
    const tracer = activeTracer<TracerRecorder>();
    if (tracer) tracer.registerOTELInstrumentation(instrumentation);
    else log.warn("registerOTELInstrumentation: no active tracer; call Tracer.init first.");
  }

  /** Flushes every tracer of this process; true when all pending spans were delivered in time. */
  static async forceFlush(timeoutMillis = DEFAULT_TIMEOUT_MILLIS): Promise<boolean> {
    const results = await Promise.all(allTracers<TracerRecorder>().map((t) => t.forceFlush(timeoutMillis)));
    return results.every(Boolean);
  }

  /** Flushes and stops every tracer of this process. */
  static async shutdown(timeoutMillis = DEFAULT_TIMEOUT_MILLIS): Promise<void> {
    await Promise.all(allTracers<TracerRecorder>().map((t) => t.shutdown(timeoutMillis)));
  }
}
