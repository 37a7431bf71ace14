/** Headers every request to the Judgment API carries (WIRE.md, "Credentials"). */
export function authHeaders(apiKey: string, organizationId: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, "X-Organization-Id": organizationId };
}
