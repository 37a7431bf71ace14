import { resolveCredentials } from "./options/credentials.js";
import type { TracerConfig } from "./options/types.js";
import { validateConfig } from "./options/validate.js";
import { OFFLINE_TRACES_PATH } from "../wire/paths.js";
import { resolveProject } from "../pipeline/judgmentApi.js";
import { Tracer } from "./Tracer.js";
import type { Example } from "../offline/Example.js";
import { ExampleCollector } from "../offline/exampleCollector.js";

/** Options of {@link OfflineTracer.create}: a tracer's, plus where examples go. */
export interface OfflineTracerConfig extends TracerConfig {
  /** Caller-owned list: each completed root span appends one {@link Example}. */
  dataset: Example[];
  /** Static fields copied onto every example (e.g. `input`, `expected_output`). */
  exampleFields?: Record<string, unknown>;
}

/** Throws an Error naming every setting the offline tracer cannot do without. */
export function requireCredentials(config: TracerConfig, who: string): ReturnType<typeof resolveCredentials> & { apiKey: string; organizationId: string; projectName: string } {
  validateConfig(config, who);
  const credentials = resolveCredentials(config);
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
  /** @internal Use {@link OfflineTracer.create} or `judgeval.offlineTracer`. */
  constructor(config: OfflineTracerConfig, projectId: string) {
    if (!Array.isArray(config.dataset)) throw new Error("OfflineTracer: dataset must be an array of Examples");
    super(config, {
      path: OFFLINE_TRACES_PATH,
      offline: true,
      resolution: { projectId },
      processors: [new ExampleCollector(config.dataset, config.exampleFields ?? {})],
    });
  }

  /**
   * Validates credentials, resolves the project, and returns an active offline tracer
   * (unless `setActive: false`). Rejects naming each missing setting, or the unknown project.
   */
  static async create(config: OfflineTracerConfig): Promise<OfflineTracer> {
    const { apiUrl, apiKey, organizationId, projectName } = requireCredentials(config, "OfflineTracer");
    const resolution = await resolveProject(apiUrl, apiKey, organizationId, projectName);
    if ("error" in resolution) throw new Error(`OfflineTracer: ${resolution.error}`);
    return OfflineTracer.activate(new OfflineTracer(config, resolution.projectId), config);
  }

  /** @internal */
  static activate(tracer: OfflineTracer, config: TracerConfig): OfflineTracer {
    if (config.setActive !== false) tracer.setActive();
    return tracer;
  }
}
