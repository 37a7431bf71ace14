import { env } from "../../diag/runtime.js";
import type { TracerConfig } from "./types.js";

/** The default API base URL of the Judgment platform. */
const DEFAULT_API_URL = "https://api.judgmentlabs.ai";

/** Credentials after explicit options and the environment are merged. */
export interface Credentials {
  projectName?: string;
  apiKey?: string;
  organizationId?: string;
  apiUrl: string;
  /** Names of the settings that are required for export and have no value. */
  missing: string[];
}

function pick(explicit: string | undefined, envName: string | undefined): string | undefined {
  const value = explicit ?? (envName ? env(envName) : undefined);
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Explicit options win over the environment (docs/wire.md, "Credentials"). */
export function resolveCredentials(config: TracerConfig): Credentials {
  const projectName = pick(config.projectName, undefined);
  const apiKey = pick(config.apiKey, "JUDGMENT_API_KEY");
  const organizationId = pick(config.organizationId, "JUDGMENT_ORG_ID");
  const explicitUrl = pick(config.apiUrl, "JUDGMENT_API_URL");
  const missing: string[] = [];
  if (!projectName) missing.push("projectName");
  if (!apiKey) missing.push("apiKey (or JUDGMENT_API_KEY)");
  if (!organizationId) missing.push("organizationId (or JUDGMENT_ORG_ID)");
  return {
    projectName,
    apiKey,
    organizationId,
    apiUrl: (explicitUrl ?? DEFAULT_API_URL).replace(/\/+$/, ""),
    missing,
  };
}
