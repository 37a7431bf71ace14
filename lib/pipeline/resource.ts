import type { Attributes } from "@opentelemetry/api";
import { resourceFromAttributes, type Resource } from "../otel/sdk.js";
import { VERSION } from "../wire/version.js";
import { ResourceKeys } from "../wire/keys.js";
import { scrub } from "../diag/secrets.js";
import { capString } from "../serialize/index.js";
import { finishName } from "./finish.js";

/** Resource strings at most, in UTF-8 bytes: the resource rides along in every request. */
const MAX_RESOURCE_VALUE_BYTES = 4096;
/** User resource attributes taken at most. */
const MAX_RESOURCE_ATTRIBUTES = 128;

/** The user's resource attributes with keys and string values scrubbed and capped. */
function finishResource(user: Attributes | undefined): Attributes {
  const out: Attributes = {};
  if (!user) return out;
  for (const key of Object.keys(user).slice(0, MAX_RESOURCE_ATTRIBUTES)) {
    const value = user[key];
    out[finishName(key)] = typeof value === "string" ? capString(scrub(value), MAX_RESOURCE_VALUE_BYTES) : value;
  }
  return out;
}

/** Resource attributes as docs/wire.md lists them; the user's own come last and win. */
export function judgmentResource(options: { projectName?: string; environment?: string; offline: boolean; user?: Attributes }): Resource {
  const attributes: Attributes = {
    "telemetry.sdk.name": "judgeval",
    "telemetry.sdk.language": "nodejs",
    "telemetry.sdk.version": VERSION,
  };
  if (options.projectName) attributes["service.name"] = options.projectName;
  if (options.environment) attributes["deployment.environment"] = options.environment;
  if (options.offline) attributes[ResourceKeys.offline] = "true";
  return resourceFromAttributes({ ...attributes, ...finishResource(options.user) });
}
