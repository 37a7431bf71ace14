/** Endpoint paths of the Judgment API (docs/wire.md, "Endpoints"), relative to the API base URL. */

/** Live spans, OTLP/HTTP protobuf. */
export const TRACES_PATH = "/otel/v1/traces";
/** Offline (experiment) spans, OTLP/HTTP protobuf. */
export const OFFLINE_TRACES_PATH = "/otel/v1/offline-traces";
/** Project name → id. */
export const PROJECT_RESOLVE_PATH = "/v1/projects/resolve/";

/** Tags of one trace, with `{projectId}` and `{traceId}` to fill in. */
export const TRACE_TAGS_PATH = "/v1/projects/{projectId}/traces/{traceId}/tags";

/** {@link TRACE_TAGS_PATH} of one trace. */
export function traceTagsPath(projectId: string, traceId: string): string {
  return TRACE_TAGS_PATH.replace("{projectId}", () => encodeURIComponent(projectId)).replace("{traceId}", () => traceId);
}

/** Joins the base URL (keeping any path prefix) and an endpoint path. */
export function endpoint(apiUrl: string, path: string): string {
  return `${apiUrl}/${path.replace(/^\/+/, "")}`;
}
