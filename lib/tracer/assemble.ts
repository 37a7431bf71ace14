import { trace } from "@opentelemetry/api";
import { TracerProvider as SdkTracerProvider, type SpanExporter, type SpanProcessor } from "../otel/sdk.js";
import { resolveCredentials, type Credentials } from "./options/credentials.js";
import type { TracerConfig } from "./options/types.js";
import { validateConfig } from "./options/validate.js";
import { ensureContextManager } from "../context/context-manager.js";
import { declarePropagatingKeys } from "../context/trusted-baggage.js";
import { JudgmentSpanExporter } from "../pipeline/exporter.js";
import { JudgmentSpanProcessor } from "../pipeline/processor.js";
import { resolveProject, TagSender, type ProjectResolution } from "../pipeline/judgment-api.js";
import { judgmentResource } from "../pipeline/resource.js";
import { BackgroundResolution } from "../pipeline/resolution.js";
import { redactor } from "../pipeline/redact.js";
import { DEFAULT_MAX_ATTRIBUTE_BYTES } from "../serialize/index.js";
import { compileRecording } from "../serialize/recording.js";
import { log } from "../diag/log.js";
import { addSecret } from "../diag/secrets.js";
import { TRACES_PATH } from "../wire/paths.js";
import { VERSION } from "../wire/version.js";
import { registerTracer } from "./lifecycle.js";
import { platform } from "./platform.js";
import { env } from "../diag/runtime.js";
import { setW3cPropagator, TracerRecorder } from "./recorder.js";

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

/** The live tracer's setup: spans go to the traces endpoint. */
export const LIVE: TracerSetup = { path: TRACES_PATH, offline: false };

const IN_MEMORY: Credentials = { apiUrl: "", missing: [] };

/** What the facade keeps of the assembly besides the recorder. */
export interface Assembled {
  readonly recorder: TracerRecorder;
  readonly projectName: string | undefined;
  /** The options as validated: a copy, read once (a hostile options object is never read again). */
  readonly config: Readonly<TracerConfig>;
}

/**
 * The composition root: validates `config`, reads the credentials, and builds one tracer's
 * pipeline (project resolution, exporter, span processor, provider), registered for the exit
 * flush and, with `registerGlobal`, as the global provider. Throws only on invalid options.
 */
export function assemble(given: TracerConfig, setup: TracerSetup): Assembled {
  const config = validateConfig(given, setup.offline ? "OfflineTracer" : "Tracer.init");
  const runtime = platform();
  ensureContextManager(runtime.storage(), runtime.noStorage);
  const credentials = setup.inMemory ? IN_MEMORY : resolveCredentials(config);
  addSecret(credentials.apiKey);
  declarePropagatingKeys(config.propagatingKeys ?? []);
  const recordInputOutput = config.recordInputOutput !== false;
  const maxAttributeBytes = config.maxAttributeBytes ?? DEFAULT_MAX_ATTRIBUTE_BYTES;
  const hasUserProcessors = (config.spanProcessors?.length ?? 0) > 0;
  const compiled = compileRecording({ serializer: config.serializer, maxBytes: maxAttributeBytes, recordInputOutput });
  if (!setup.inMemory) warnIfPlainHttp(credentials.apiUrl);

  const resolution = startResolution(credentials, setup, config);
  const { apiKey, organizationId, apiUrl } = credentials;
  const { transport } = runtime;
  const tags =
    apiKey && organizationId && !setup.offline ? new TagSender({ apiUrl, apiKey, organizationId, post: transport.post }) : undefined;
  const spoolDir = config.spoolDir ?? (env("JUDGMENT_SPOOL_DIR") || undefined);
  if (config.spoolDir !== undefined && !transport.openSpool) {
    log.warnOnce("spoolDir", `spoolDir is ignored in the ${runtime.name} build: it has no disk (see docs/runtimes.md).`);
  }
  const exporter =
    apiKey && organizationId && credentials.projectName
      ? new JudgmentSpanExporter({
          apiUrl,
          apiKey,
          organizationId,
          post: transport.post,
          transport,
          path: setup.path,
          projectId: resolution.id,
          timeoutMillis: config.exportTimeoutMillis ?? 10000,
          retry: config.retry,
          spoolDir,
        })
      : undefined;
  const processor = new JudgmentSpanProcessor(exporter ?? NO_EXPORT, {
    partialEmits: !setup.offline,
    maxOpenSpans: config.maxOpenSpans ?? 10000,
    scheduledDelayMillis: config.exportIntervalMillis ?? 1000,
    maxQueueSize: config.maxQueueSize ?? 20480,
    maxExportBatchSize: config.maxExportBatchSize ?? 512,
    strings: { maxBytes: maxAttributeBytes },
    redact: redactor({ mask: config.mask, recordInputOutput }),
    genai: { prices: config.prices, recordContent: recordInputOutput },
  });
  const spanProcessor = setup.wrapProcessor?.(processor) ?? processor;
  const provider = new SdkTracerProvider({
    resource: judgmentResource({
      projectName: credentials.projectName,
      environment: config.environment,
      offline: setup.offline,
      user: config.resourceAttributes,
    }),
    sampler: config.sampler,
    spanLimits: config.spanLimits,
    spanProcessors: [spanProcessor, ...(config.spanProcessors ?? [])],
  });
  const recorder = new TracerRecorder({
    provider,
    otelTracer: provider.getTracer("judgeval", VERSION),
    processor,
    spanProcessor,
    exporter,
    tags,
    resolution,
    compiled,
    hasUserProcessors,
    inMemory: setup.inMemory === true,
    offline: setup.offline,
    unlimitedAttributes: !hasAttributeLimits(config),
    prices: config.prices,
  });
  // A project resolved before construction (the offline tracer's) is known at once, not a microtask later.
  if (setup.resolution && "projectId" in setup.resolution) recorder.projectId = setup.resolution.projectId;
  if (config.registerGlobal) registerGlobally(provider);
  registerTracer(recorder, { processExits: runtime.processExits, flushOnSignal: config.flushOnSignal !== false });
  return { recorder, projectName: credentials.projectName, config };
}

function startResolution(credentials: Credentials, setup: TracerSetup, config: TracerConfig): BackgroundResolution {
  const { apiKey, organizationId, projectName, apiUrl, missing } = credentials;
  const given = setup.resolution;
  const attempt = (): Promise<ProjectResolution> => {
    if (given) return Promise.resolve(given);
    if (setup.inMemory) return Promise.resolve({ error: "in memory" });
    if (!apiKey || !organizationId || !projectName) return Promise.resolve({ error: `missing ${missing.join(", ")}` });
    return resolveProject({ apiUrl, apiKey, organizationId, post: platform().transport.post }, projectName);
  };
  return new BackgroundResolution(attempt, config.retry, (attempts) =>
    log.info(`project "${projectName}" resolved after ${attempts} attempts: export is on.`),
  );
}

const NO_EXPORT: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

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
