import { postToApi } from "./api.js";

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
    const target = { apiUrl, apiKey, organizationId };
    const res = await postToApi(target, "/v1/projects/resolve/", JSON.stringify({ project_name: projectName }), "application/json", timeoutMillis);
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
