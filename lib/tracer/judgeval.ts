import { resolveProject } from "../pipeline/judgment-api.js";
import { platform } from "./platform.js";
import { OFFLINE_KEYS, OfflineTracer, requireCredentials, type OfflineTracerConfig } from "./offline-tracer.js";
import { validateConfig } from "./options/validate.js";

/** Options of {@link Judgeval.create}; credentials fall back to the environment. */
export interface JudgevalConfig {
  projectName: string;
  apiKey?: string;
  organizationId?: string;
  apiUrl?: string;
}

/** Options of {@link Judgeval.offlineTracer}: an offline tracer's, less the credentials. */
export type OfflineTracerOptions = Omit<OfflineTracerConfig, "projectName" | "apiKey" | "organizationId" | "apiUrl">;

/**
 * The Judgment client: validated credentials and a project resolved once, from which offline
 * tracers for experiment runs are made without asking the backend again.
 */
export class Judgeval {
  private constructor(
    private readonly credentials: Required<JudgevalConfig>,
    /** The resolved project id. */
    readonly projectId: string,
  ) {}

  get projectName(): string {
    return this.credentials.projectName;
  }

  /** The API base URL this client sends to. */
  get apiUrl(): string {
    return this.credentials.apiUrl;
  }

  /** Rejects naming each missing credential, or the project that was not found. */
  static async create(config: JudgevalConfig): Promise<Judgeval> {
    const { apiUrl, apiKey, organizationId, projectName } = requireCredentials(config, "Judgeval");
    const resolution = await resolveProject({ apiUrl, apiKey, organizationId, post: platform().transport.post }, projectName);
    if ("error" in resolution) throw new Error(`Judgeval: ${resolution.error}`);
    return new Judgeval({ apiUrl, apiKey, organizationId, projectName }, resolution.projectId);
  }

  /**
   * An offline tracer on this client's project and credentials, active unless `setActive: false`.
   * For concurrent runs make one per item with `setActive: false` and run each item inside
   * `tracer.run(fn)`.
   */
  offlineTracer(options: OfflineTracerOptions): OfflineTracer {
    const config: OfflineTracerConfig = {
      ...validateConfig<OfflineTracerConfig>(options, "offlineTracer", OFFLINE_KEYS),
      ...this.credentials,
    };
    return OfflineTracer.activate(new OfflineTracer(config, this.projectId), config);
  }
}
