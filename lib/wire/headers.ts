/** Request headers of the Judgment API (docs/wire.md, "Headers"). HTTP header names are case-insensitive. */
export const HeaderNames = {
  /** `Bearer <apiKey>`, on every request. */
  authorization: "Authorization",
  /** The organization id, on every request. */
  organizationId: "X-Organization-Id",
  /** The resolved project id, on span exports. */
  projectId: "X-Project-Id",
} as const;
