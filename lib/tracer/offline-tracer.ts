import { resolveCredentials } from "./options/credentials.js";
import type { TracerConfig } from "./options/types.js";
import { validateConfig } from "./options/validate.js";
import { OFFLINE_TRACES_PATH } from "../wire/paths.js";
import { resolveProject } from "../pipeline/judgment-api.js";
import { platform } from "./platform.js";
import { Tracer } from "./tracer.js";
import type { Example } from "../offline/example.js";
import { OfflineSpanProcessor } from "../offline/offline-processor.js";
import type { SpanExporter } from "../otel/sdk.js";

/** Options of {@link OfflineTracer.create}: a tracer's, plus where examples go. */
export interface OfflineTracerConfig extends TracerConfig {
  /** Caller-owned list: each completed root span appends one {@link Example}. */
  dataset: Example[];
  /** Static fields copied onto every example (e.g. `input`, `expected_output`). */
  exampleFields?: Record<string, unknown>;
}

/** The options an offline tracer has beyond a tracer's. */
export const OFFLINE_KEYS = ["dataset", "exampleFields"] as const;

/** Throws an Error naming every setting the offline tracer cannot do without. */
export function requireCredentials(
  config: TracerConfig,
  who: string,
): ReturnType<typeof resolveCredentials> & { apiKey: string; organizationId: string; projectName: string } {
  const credentials = resolveCredentials(validateConfig(config, who));
  const missing = [...credentials.missing];
  try {
    const url = new URL(credentials.apiUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") missing.push("apiUrl (an http(s) URL)");
  } catch {
    missing.push("apiUrl (or JUDGMENT_API_URL; not a valid URL)");
  }
  if (missing.length > 0) throw new Error(`${who}: missing ${missing.join(", ")}`);
  return credentials as ReturnType<typeof requireCredentials>;
}

/**
 * A tracer for experiment runs: spans go to the offline endpoint, and every completed root span
 * appends an {@link Example} to `dataset`. Unlike {@link Tracer.init}, credentials are required
 * and an unknown project is an error. No partial emits; `tag` and `asyncEvaluate` do nothing.
 */
export class OfflineTracer extends Tracer {
  /** Endpoint path of offline spans, relative to the API URL (as the reference spells it). */
  static readonly OFFLINE_TRACES_PATH = OFFLINE_TRACES_PATH.replace(/^\/+/, "");
  /** Offline runs take no third-party live instrumentation. */
  static readonly SUPPORTS_LIVE_INSTRUMENTATION = false;
  /** Instrumentation scope name of the spans this tracer makes. */
  static readonly TRACER_NAME = "judgeval";

  /** @internal Use {@link OfflineTracer.create} or `judgeval.offlineTracer`. */
  constructor(config: OfflineTracerConfig, projectId: string) {
    if (!Array.isArray(config.dataset)) throw new Error("OfflineTracer: dataset must be an array of Examples");
    const { dataset, exampleFields = {} } = config;
    super(config, {
      path: OFFLINE_TRACES_PATH,
      offline: true,
      resolution: { projectId },
      wrapProcessor: (processor) => new OfflineSpanProcessor(processor, dataset, exampleFields),
    });
  }

  /** The exporter to the offline endpoint (credentials are checked at creation, so there is one). */
  override getSpanExporter(): SpanExporter {
    return super.getSpanExporter()!;
  }

  /**
   * Validates credentials, resolves the project, and returns an active offline tracer
   * (unless `setActive: false`). Rejects naming each missing setting, or the unknown project.
   */
  static async create(given: OfflineTracerConfig): Promise<OfflineTracer> {
    const config = validateConfig<OfflineTracerConfig>(given, "OfflineTracer", OFFLINE_KEYS);
    const { apiUrl, apiKey, organizationId, projectName } = requireCredentials(config, "OfflineTracer");
    const resolution = await resolveProject({ apiUrl, apiKey, organizationId, post: platform().transport.post }, projectName);
    if ("error" in resolution) throw new Error(`OfflineTracer: ${resolution.error}`);
    return OfflineTracer.activate(new OfflineTracer(config, resolution.projectId), config);
  }

  /** @internal */
  static activate(tracer: OfflineTracer, config: TracerConfig): OfflineTracer {
    if (config.setActive !== false) tracer.setActive();
    return tracer;
  }
}
