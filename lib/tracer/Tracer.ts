import { context, propagation, trace, type Span, type Tracer as OtelTracer, type TracerProvider } from "@opentelemetry/api";
import { TracerProvider as SdkTracerProvider } from "@opentelemetry/sdk-trace";
import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { resolveCredentials, type Credentials } from "./options/credentials.js";
import type { TracerConfig } from "./options/types.js";
import { validateConfig } from "./options/validate.js";
import { activate, activeTracer, deactivate, isOwnRoot, tracerForRoots, tracerIn, withScope } from "../context/activeTracer.js";
import { ensureContextManager } from "../context/contextManager.js";
import { JudgmentSpanExporter } from "../pipeline/exporter.js";
import { TRACES_PATH } from "../wire/paths.js";
import { JudgmentSpanProcessor } from "../pipeline/processor.js";
import { resolveProject, TagSender, type ProjectResolution } from "../pipeline/judgmentApi.js";
import { judgmentResource } from "../pipeline/resource.js";
import { BackgroundResolution } from "../pipeline/resolution.js";
import { redactor } from "../pipeline/redact.js";
import { w3cPropagator } from "../propagation/propagation.js";
import { capString, createSerializer, DEFAULT_MAX_ATTRIBUTE_BYTES, type Serializer } from "../serialize/index.js";
import { log } from "../diag/log.js";
import { addSecret } from "../diag/secrets.js";
import { declarePropagatingKeys } from "../context/trustedBaggage.js";
import { VERSION } from "../wire/version.js";
import { allTracers, registerTracer, unregisterTracer } from "./lifecycle.js";
import * as annotate from "../api/annotate.js";
import * as spans from "../api/spans.js";
import { observe } from "../api/observe.js";
import * as propagate from "../api/propagate.js";
import { startLinkedTrace } from "../api/linked.js";
import type * as Evaluating from "../api/evaluate.js";
import type * as Tagging from "../api/tag.js";
import { lazy } from "../diag/lazy.js";
import { wrap } from "./wrap.js";
import type { PriceTable } from "../pricing/prices.js";

/** A third-party OpenTelemetry instrumentation (e.g. `@opentelemetry/instrumentation-undici`). */
export interface OTELInstrumentation {
  setTracerProvider(provider: TracerProvider): void;
  enable?(): void;
}

/** How a tracer variant exports; the offline tracer passes its own. */
export interface TracerSetup {
  path: string;
  offline: boolean;
  /** Already-resolved project (the offline tracer resolves before constructing). */
  resolution?: ProjectResolution;
  /** Wraps the Judgment processor, e.g. the offline tracer's, which also appends Examples. */
  wrapProcessor?: (processor: JudgmentSpanProcessor) => SpanProcessor;
  /** No credentials are read and nothing is exported: spans reach the user's processors only (test capture). */
  inMemory?: boolean;
}

const LIVE: TracerSetup = { path: TRACES_PATH, offline: false };

// Platform calls a first span does not need load with their first use.
const evaluating = lazy("asyncEvaluate", () => require("../api/evaluate.js") as typeof Evaluating);
const tagging = lazy("tag", () => require("../api/tag.js") as typeof Tagging);
const IN_MEMORY: Credentials = { apiUrl: "", missing: [] };

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
  /** The resolved project id, once {@link ready} has settled with export on. */
  projectId: string | undefined;
  /** @internal The OpenTelemetry tracer spans are made with. */
  readonly otelTracer: OtelTracer;
  /**
   * @internal False when nothing would consume spans (no export, no user processor): `@observe`
   * then makes unexported spans (real ids, nothing recorded).
   */
  recording: boolean;
  /** @internal */
  readonly offline: boolean;
  /** @internal False: inputs and outputs are neither serialized nor exported. */
  readonly recordInputOutput: boolean;
  /** @internal The default serializer is in use, so primitives may be written as JSON directly. */
  readonly fastJson: boolean;
  /** @internal Cap of one serialized attribute. */
  readonly maxAttributeBytes: number;
  /** @internal No attribute limit configured: the SDK's own attributes skip OpenTelemetry's per-value checks. */
  readonly unlimitedAttributes: boolean;
  /** @internal Credentials as resolved at init. */
  readonly credentials: Credentials;
  /** @internal The options this tracer was made with. */
  readonly config: Readonly<TracerConfig>;

  private readonly provider: SdkTracerProvider;
  private readonly processor: JudgmentSpanProcessor;
  /** The processor the provider runs: {@link processor}, or the variant's wrapper of it. */
  private readonly spanProcessor: SpanProcessor;
  protected readonly exporter: JudgmentSpanExporter | undefined;
  private readonly tags: TagSender | undefined;
  private readonly projectIdPromise: Promise<string | undefined>;
  private readonly resolution: BackgroundResolution;
  private readonly serializer: Serializer;
  private readonly hasUserProcessors: boolean;

  protected constructor(config: TracerConfig, setup: TracerSetup = LIVE) {
    validateConfig(config, setup.offline ? "OfflineTracer" : "Tracer.init");
    ensureContextManager();
    const credentials = setup.inMemory ? IN_MEMORY : resolveCredentials(config);
    addSecret(credentials.apiKey);
    declarePropagatingKeys(config.propagatingKeys ?? []);
    this.config = config;
    this.credentials = credentials;
    this.projectName = credentials.projectName;
    this.environment = config.environment;
    this.offline = setup.offline;
    this.serializer = makeSerializer(config);
    this.hasUserProcessors = (config.spanProcessors?.length ?? 0) > 0;
    this.recordInputOutput = config.recordInputOutput !== false;
    this.fastJson = config.serializer === undefined;
    this.maxAttributeBytes = config.maxAttributeBytes ?? DEFAULT_MAX_ATTRIBUTE_BYTES;
    this.unlimitedAttributes = !hasAttributeLimits(config);
    if (!setup.inMemory) warnIfPlainHttp(credentials.apiUrl);

    const resolution = this.startResolution(credentials, setup, config);
    this.resolution = resolution;
    this.ready = resolution.first.then((r) => {
      if ("projectId" in r) this.projectId = r.projectId;
      else if (r.retryable && !resolution.done)
        log.warn(`${r.error}; retrying in the background: spans are kept (up to maxQueueSize) and delivered once it succeeds.`);
      else if (!setup.inMemory) this.exportOff(r.error);
    });
    void resolution.id.then((id) => {
      if (id !== undefined) this.projectId = id;
    });
    const { apiKey, organizationId, apiUrl } = credentials;
    this.projectIdPromise = resolution.id;
    this.tags = apiKey && organizationId && !setup.offline ? new TagSender({ apiUrl, apiKey, organizationId }) : undefined;
    this.exporter =
      apiKey && organizationId && credentials.projectName
        ? new JudgmentSpanExporter({
            apiUrl,
            apiKey,
            organizationId,
            path: setup.path,
            projectId: this.projectIdPromise,
            timeoutMillis: config.exportTimeoutMillis ?? 10000,
            retry: config.retry,
            spoolDir: config.spoolDir ?? (process.env.JUDGMENT_SPOOL_DIR || undefined),
          })
        : undefined;
    this.recording = this.exporter !== undefined || this.hasUserProcessors;
    this.processor = new JudgmentSpanProcessor(this.exporter ?? NO_EXPORT, {
      partialEmits: !setup.offline,
      maxOpenSpans: config.maxOpenSpans ?? 10000,
      scheduledDelayMillis: config.exportIntervalMillis ?? 1000,
      maxQueueSize: config.maxQueueSize ?? 20480,
      maxExportBatchSize: config.maxExportBatchSize ?? 512,
      strings: { maxBytes: this.maxAttributeBytes },
      redact: redactor({ mask: config.mask, recordInputOutput: this.recordInputOutput }),
      genai: { prices: config.prices, recordContent: this.recordInputOutput },
    });
    this.spanProcessor = setup.wrapProcessor?.(this.processor) ?? this.processor;
    this.provider = new SdkTracerProvider({
      resource: judgmentResource({
        projectName: credentials.projectName,
        environment: config.environment,
        offline: setup.offline,
        user: config.resourceAttributes,
      }),
      sampler: config.sampler,
      spanLimits: config.spanLimits,
      spanProcessors: [this.spanProcessor, ...(config.spanProcessors ?? [])],
    });
    this.otelTracer = this.provider.getTracer("judgeval", VERSION);
    if (config.registerGlobal) registerGlobally(this.provider);
    registerTracer(this, config.flushOnSignal !== false);
  }

  /**
   * Creates a tracer and (unless `setActive: false`) makes it the active one. Synchronous: the
   * project is resolved in the background; spans made meanwhile are exported once it is.
   * Throws a `TypeError` naming each option given with a value of the wrong kind.
   */
  static init(config: TracerConfig = {}): Tracer {
    const tracer = new Tracer(config);
    if (config.setActive !== false) tracer.setActive();
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
    if (current !== undefined && current !== this && isOwnRoot(ctx, current)) {
      log.warn("setActive refused: a root span of the active tracer is in progress in this context; call it outside that span.");
      return false;
    }
    activate(this);
    return true;
  }

  /** @internal Whether `span` was started by this tracer and is still open. */
  owns(span: Span): boolean {
    return this.processor.isOpen(span);
  }

  /** Whether new root spans in the current async context use this tracer. */
  isActive(): boolean {
    return tracerForRoots() === this;
  }

  /**
   * Runs `fn` with this tracer active for its async context only (everything it awaits or
   * schedules), leaving other concurrent work on its own tracer. Everything started inside uses
   * this tracer, even under a span of another. Returns what `fn` returns.
   */
  run<R>(fn: () => R): R {
    return context.with(withScope(context.active(), this), fn);
  }

  /** The exporter sending this tracer's spans, or undefined when export is off. */
  getSpanExporter(): SpanExporter | undefined {
    return this.exporter;
  }

  /** The Judgment span processor of this tracer. */
  getSpanProcessor(): SpanProcessor {
    return this.spanProcessor;
  }

  /** @internal Spans wait to be delivered. */
  hasPending(): boolean {
    return this.processor.hasPending();
  }

  /** @internal The process is ending on an uncaught exception: ended spans go to the spool, if one is set. */
  spoolOnCrash(): void {
    this.processor.spoolNow();
  }

  /** @internal */
  async flushOnExit(): Promise<boolean> {
    await this.resolveBeforeFlush(5000, true);
    return withTimeout(this.processor.flush(true), 10000, false);
  }

  /** @internal Prices overriding or extending the built-in table. */
  get prices(): PriceTable | undefined {
    return this.config.prices;
  }

  /** @internal Serializes a value for an attribute with this tracer's serializer, capped. Never throws. */
  serialize(value: unknown): string {
    return this.serializer(value);
  }

  /** Exports every pending span (and waits for tags in flight); true when all were delivered within `timeoutMillis`. */
  async forceFlush(timeoutMillis = 30000): Promise<boolean> {
    // Nothing can be delivered before the project is known: say so now rather than at the timeout.
    if (!(await this.resolveBeforeFlush(timeoutMillis, false))) return false;
    const work = Promise.all([this.processor.flush(), this.tags?.flush() ?? true]).then(([spans, tags]) => spans && tags);
    return withTimeout(work, timeoutMillis, false);
  }

  /** @internal Sends tags for `traceId` in the background. */
  sendTags(traceId: string, tags: string[]): void {
    this.tags?.send(this.projectIdPromise, traceId, tags);
  }

  /**
   * Routes a third-party OpenTelemetry instrumentation's spans through this tracer, and makes
   * W3C trace context the global propagator (unless the app set one) so its requests carry it.
   */
  registerOTELInstrumentation(instrumentation: OTELInstrumentation): void {
    setW3cPropagator();
    instrumentation.setTracerProvider(this.provider);
    instrumentation.enable?.();
  }

  /**
   * Flushes, then stops this tracer; later spans are not exported. If it was the active tracer,
   * the one active before it is again.
   */
  async shutdown(timeoutMillis = 30000): Promise<void> {
    deactivate(this);
    unregisterTracer(this);
    this.recording = this.hasUserProcessors;
    const started = Date.now();
    await this.resolveBeforeFlush(Math.min(timeoutMillis, 5000), true);
    await withTimeout(
      this.provider.shutdown().then(() => true),
      Math.max(0, timeoutMillis - (Date.now() - started)),
      false,
    );
  }

  private startResolution(credentials: Credentials, setup: TracerSetup, config: TracerConfig): BackgroundResolution {
    const { apiKey, organizationId, projectName, apiUrl, missing } = credentials;
    const given = setup.resolution;
    const attempt = (): Promise<ProjectResolution> => {
      if (given) return Promise.resolve(given);
      if (setup.inMemory) return Promise.resolve({ error: "in memory" });
      if (!apiKey || !organizationId || !projectName) return Promise.resolve({ error: `missing ${missing.join(", ")}` });
      return resolveProject(apiUrl, apiKey, organizationId, projectName);
    };
    return new BackgroundResolution(attempt, config.retry, (attempts) =>
      log.info(`project "${projectName}" resolved after ${attempts} attempts: export is on.`),
    );
  }

  /**
   * While the project is not resolved yet: one attempt now (bounded by `timeoutMillis`); with
   * `last`, resolution ends there (spans waiting for it are then dropped and counted). True when
   * the project is known (or export is off anyway), so flushing can proceed.
   */
  private async resolveBeforeFlush(timeoutMillis: number, last: boolean): Promise<boolean> {
    // Without an exporter nothing waits for the project (export off, or an in-memory capture).
    if (this.resolution.done || !this.exporter) return true;
    const known = await withTimeout(this.resolution.now(), timeoutMillis, false);
    if (!known && last) this.resolution.stop();
    return known;
  }

  private exportOff(reason: string): void {
    this.recording = this.hasUserProcessors;
    log.warn(`export is off: ${reason}. Spans are still created and your code runs unchanged.`);
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
    const tracer = activeTracer<Tracer>();
    if (tracer) tracer.registerOTELInstrumentation(instrumentation);
    else log.warn("registerOTELInstrumentation: no active tracer; call Tracer.init first.");
  }

  /** Flushes every tracer of this process; true when all pending spans were delivered in time. */
  static async forceFlush(timeoutMillis = 30000): Promise<boolean> {
    const results = await Promise.all(allTracers<Tracer>().map((t) => t.forceFlush(timeoutMillis)));
    return results.every(Boolean);
  }

  /** Flushes and stops every tracer of this process. */
  static async shutdown(timeoutMillis = 30000): Promise<void> {
    await Promise.all(allTracers<Tracer>().map((t) => t.shutdown(timeoutMillis)));
  }
}

const NO_EXPORT: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

function makeSerializer(config: TracerConfig): Serializer {
  const maxBytes = config.maxAttributeBytes ?? DEFAULT_MAX_ATTRIBUTE_BYTES;
  const custom = config.serializer;
  if (!custom) return createSerializer({ maxBytes });
  const fallback = createSerializer({ maxBytes });
  return (value) => {
    try {
      const out = custom(value);
      return typeof out === "string" ? capString(out, maxBytes) : fallback(out);
    } catch {
      return fallback(value);
    }
  };
}

/**
 * Whether spans of this tracer may have attributes cut or dropped by OpenTelemetry's limits:
 * `spanLimits` sets them (the SDK's 3.x provider reads no environment variable for them).
 */
function hasAttributeLimits(config: TracerConfig): boolean {
  const limits = config.spanLimits;
  return limits?.attributeCountLimit !== undefined || limits?.attributeValueLengthLimit !== undefined;
}

/**
 * Installs `provider` as the global tracer provider, or says why it could not: libraries that take
 * their tracer from the OpenTelemetry API would otherwise make no-op spans without a word.
 */
function registerGlobally(provider: SdkTracerProvider): void {
  setW3cPropagator();
  if (trace.setGlobalTracerProvider(provider)) return;
  log.warn(
    "registerGlobal: another OpenTelemetry tracer provider is already registered globally (your own SDK or another vendor's), " +
      "so libraries will not send their spans to judgeval this way. Add tracer.getSpanProcessor() to that provider instead (see docs/integrations.md).",
  );
}

/** W3C trace context as the global propagator, so instrumented requests carry it. */
function setW3cPropagator(): void {
  const w3c = w3cPropagator();
  if (w3c) propagation.setGlobalPropagator(w3c);
}

/** Spans and the API key would cross the network in clear text. */
function warnIfPlainHttp(apiUrl: string): void {
  try {
    const { protocol, hostname } = new URL(apiUrl);
    const loopback = hostname === "localhost" || hostname === "[::1]" || /^127\./.test(hostname);
    if (protocol === "http:" && !loopback) {
      log.warnOnce(
        `http:${hostname}`,
        `apiUrl ${protocol}//${hostname} is plain http to a non-loopback host: your API key and spans travel unencrypted.`,
      );
    }
  } catch {
    // an invalid URL fails later, at resolution, with its own warning
  }
}

function withTimeout<T>(work: Promise<T>, millis: number, onTimeout: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), millis);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
