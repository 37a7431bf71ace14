import { endpoint } from "../tracer/options/credentials.js";

/** Where and as whom requests to the Judgment API go. */
export interface ApiTarget {
  apiUrl: string;
  apiKey: string;
  organizationId: string;
}

/** Headers every request to the Judgment API carries (WIRE.md, "Credentials"). */
export function authHeaders(apiKey: string, organizationId: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, "X-Organization-Id": organizationId };
}

/**
 * POSTs `body` to `path` of the Judgment API with the credential headers; rejects on a network
 * error or when `timeoutMillis` passes. The caller reads (or drains) the response.
 */
export function postToApi(
  target: ApiTarget,
  path: string,
  body: string | Uint8Array,
  contentType: string,
  timeoutMillis: number,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(endpoint(target.apiUrl, path), {
    method: "POST",
    headers: { ...authHeaders(target.apiKey, target.organizationId), ...headers, "Content-Type": contentType },
    body: typeof body === "string" ? body : new Uint8Array(body),
    signal: AbortSignal.timeout(timeoutMillis),
  });
}

/** Reads a response to its end so its connection can be reused. Never rejects. */
export async function drain(res: Response): Promise<void> {
  await res.arrayBuffer().catch(() => undefined);
}
