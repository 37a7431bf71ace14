import { LocalBackend, type LocalBackendOptions } from "../../lib/dev/index.js";

/** Options accepted by `Tracer.init` to export to a local backend. */
export interface BackendTracerConfig {
  apiUrl: string;
  apiKey: string;
  organizationId: string;
  projectName: string;
}

/** A running backend and the tracer options that point at it. */
export interface StartedBackend {
  backend: LocalBackend;
  tracerConfig: BackendTracerConfig;
}

/**
 * What the spec fixtures (child processes) read their tracer settings from: `URL`, `KEY`, `ORG`,
 * and `PROJECT` when `project` is given.
 */
export function fixtureEnv(ctx: StartedBackend, project?: string): Record<string, string> {
  const { apiUrl, apiKey, organizationId } = ctx.tracerConfig;
  return { URL: apiUrl, KEY: apiKey, ORG: organizationId, ...(project !== undefined && { PROJECT: project }) };
}

/** The backend's credentials as an app reads them: `JUDGMENT_API_URL`, `JUDGMENT_API_KEY`, `JUDGMENT_ORG_ID`. */
export function judgmentEnv(ctx: StartedBackend): Record<string, string> {
  const { apiUrl, apiKey, organizationId } = ctx.tracerConfig;
  return { JUDGMENT_API_URL: apiUrl, JUDGMENT_API_KEY: apiKey, JUDGMENT_ORG_ID: organizationId };
}

/** Options of {@link startBackend}: the backend's own, plus the project name to put in `tracerConfig`. */
export type StartBackendOptions = LocalBackendOptions & { projectName?: string };

/** Starts a backend on a free loopback port; the caller closes it (`backend.close()`). */
export async function startBackend(options: StartBackendOptions = {}): Promise<StartedBackend> {
  const { projectName = "test-project", ...backendOptions } = options;
  const backend = await LocalBackend.start(backendOptions);
  return {
    backend,
    tracerConfig: {
      apiUrl: backend.url,
      apiKey: backend.apiKey,
      organizationId: backend.organizationId,
      projectName,
    },
  };
}

/**
 * Starts a backend in `beforeAll` and closes it in `afterAll` of the enclosing
 * describe block (or file). Read `backend`/`tracerConfig` inside tests and hooks.
 *
 * @example
 * const ctx = useBackend();
 * it("exports", async () => { Tracer.init(ctx.tracerConfig); ...; await ctx.backend.waitForSpans(1); });
 */
export function useBackend(options: StartBackendOptions = {}): StartedBackend {
  let started: StartedBackend | undefined;
  beforeAll(async () => {
    started = await startBackend(options);
  });
  afterAll(async () => {
    await started?.backend.close();
  });
  const get = (): StartedBackend => {
    if (!started) throw new Error("useBackend: the backend is only available inside tests and hooks");
    return started;
  };
  return {
    get backend() {
      return get().backend;
    },
    get tracerConfig() {
      return get().tracerConfig;
    },
  };
}
