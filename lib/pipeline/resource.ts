import type { Attributes } from "@opentelemetry/api";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { VERSION } from "../wire/version.js";

/** Resource attributes as WIRE.md lists them; the user's own come last and win. */
export function judgmentResource(options: {
  projectName?: string;
  environment?: string;
  offline: boolean;
  user?: Attributes;
}): Resource {
  const attributes: Attributes = {
    "telemetry.sdk.name": "judgeval",
    "telemetry.sdk.language": "nodejs",
    "telemetry.sdk.version": VERSION,
  };
  if (options.projectName) attributes["service.name"] = options.projectName;
  if (options.environment) attributes["deployment.environment"] = options.environment;
  if (options.offline) attributes["judgment.offline"] = "true";
  return resourceFromAttributes({ ...attributes, ...options.user });
}
