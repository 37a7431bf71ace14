import { endpoint } from "../config/credentials.js";
import { authHeaders } from "./headers.js";

/** Outcome of resolving a project name: its id, or why there is none. */
export type ProjectResolution = { projectId: string } | { error: string };

/** Asks the backend for the id of `projectName`. Never rejects. */
export async function resolveProject(
  apiUrl: string,
  apiKey: string,
  organizationId: string,
  projectName: string,
  timeoutMillis = 10000,
): Promise<ProjectResolution> {
  try {
    const res = await fetch(endpoint(apiUrl, "/v1/projects/resolve/"), {
      method: "POST",
      headers: { ...authHeaders(apiKey, organizationId), "Content-Type": "application/json" },
      body: JSON.stringify({ project_name: projectName }),
      signal: AbortSignal.timeout(timeoutMillis),
    });
    const body = (await res.json().catch(() => undefined)) as { project_id?: unknown } | undefined;
    const id = body?.project_id;
    if (!res.ok || typeof id !== "string" || id === "") {
      return { error: `project "${projectName}" was not found at ${apiUrl} (HTTP ${res.status})` };
    }
    return { projectId: id };
  } catch (err) {
    return { error: `could not reach ${apiUrl} to resolve project "${projectName}": ${(err as Error).message}` };
  }
}
