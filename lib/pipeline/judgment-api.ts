import { onNextTurn } from "../diag/runtime.js";
import { sanitizeMessage } from "../diag/secrets.js";
import { endpoint, PROJECT_RESOLVE_PATH, traceTagsPath } from "../wire/paths.js";
import { HeaderNames } from "../wire/headers.js";
import type { HttpResponse, Post } from "./transport.js";
import { isRetryable } from "./retry.js";

/**
 * The one client of the Judgment API (besides span export): credential headers, project
 * resolution and trace tags.
 */

/** Where and as whom requests to the Judgment API go. */
export interface ApiTarget {
  apiUrl: string;
  apiKey: string;
  organizationId: string;
  /** The runtime's HTTP client (tracer/platform.ts). */
  post: Post;
}

/** Headers every request to the Judgment API carries (docs/wire.md, "Headers"). */
export function authHeaders(apiKey: string, organizationId: string): Record<string, string> {
  return { [HeaderNames.authorization]: `Bearer ${apiKey}`, [HeaderNames.organizationId]: organizationId };
}

/**
 * POSTs `body` to `path` of the Judgment API with the credential headers and reads the answer;
 * rejects on a network error or when `timeoutMillis` passes.
 */
export function postToApi(
  target: ApiTarget,
  path: string,
  body: string | Uint8Array,
  contentType: string,
  timeoutMillis: number,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const url = new URL(endpoint(target.apiUrl, path));
  const all = { ...authHeaders(target.apiKey, target.organizationId), ...headers, "Content-Type": contentType };
  return target.post(url, all, body, timeoutMillis);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Outcome of resolving a project name: its id, or why there is none — `retryable` when a later
 * attempt may succeed (network error, timeout, 408, 429, 5xx).
 */
export type ProjectResolution = { projectId: string } | { error: string; retryable?: boolean };

/** Asks the backend for the id of `projectName`. Never rejects. */
export async function resolveProject(target: ApiTarget, projectName: string, timeoutMillis = 10000): Promise<ProjectResolution> {
  // the URL as messages show it: credentials written into it are not repeated
  const where = sanitizeMessage(target.apiUrl);
  try {
    // The request starts on the next turn of the event loop: building the first HTTP request of
    // a process costs tens of milliseconds, which `Tracer.init` would otherwise pay.
    await new Promise<void>((resolve) => onNextTurn(resolve));
    const res = await postToApi(
      target,
      PROJECT_RESOLVE_PATH,
      JSON.stringify({ project_name: projectName }),
      "application/json",
      timeoutMillis,
    );
    const body = parseJson(res.body) as { project_id?: unknown } | undefined;
    const id = body?.project_id;
    if (!res.ok && isRetryable({ code: res.status })) {
      return { error: `${where} could not resolve project "${projectName}" (HTTP ${res.status})`, retryable: true };
    }
    if (!res.ok || typeof id !== "string" || id === "") {
      return { error: `project "${projectName}" was not found at ${where} (HTTP ${res.status})` };
    }
    return { projectId: id };
  } catch (err) {
    return { error: `could not reach ${where} to resolve project "${projectName}": ${(err as Error).message}`, retryable: true };
  }
}

/**
 * Sends trace tags in the background (docs/wire.md, "Endpoints"). Requests in flight are tracked so
 * a flush can wait for them; a failure is dropped silently, as tags are best-effort metadata.
 */
export class TagSender {
  private readonly pending = new Set<Promise<boolean>>();

  constructor(private readonly target: ApiTarget) {}

  send(projectId: Promise<string | undefined>, traceId: string, tags: string[]): void {
    const done = projectId.then((id) => (id ? this.post(id, traceId, tags) : false));
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  /** Waits for every tag request in flight; true when all succeeded. */
  async flush(): Promise<boolean> {
    return (await Promise.all([...this.pending])).every(Boolean);
  }

  private async post(projectId: string, traceId: string, tags: string[]): Promise<boolean> {
    try {
      const res = await postToApi(this.target, traceTagsPath(projectId, traceId), JSON.stringify({ tags }), "application/json", 10000);
      return res.ok;
    } catch {
      return false;
    }
  }
}
