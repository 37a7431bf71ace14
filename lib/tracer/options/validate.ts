import { declaredKeyProblem } from "../../context/trustedBaggage.js";
import type { TracerConfig } from "./types.js";

const STRING_OPTIONS = ["projectName", "apiKey", "organizationId", "apiUrl", "environment", "spoolDir"] as const;
const POSITIVE_INTEGER_OPTIONS = [
  "maxAttributeBytes",
  "exportIntervalMillis",
  "maxQueueSize",
  "maxOpenSpans",
  "maxExportBatchSize",
  "exportTimeoutMillis",
] as const;
const FUNCTION_OPTIONS = ["serializer", "mask"] as const;
const BOOLEAN_OPTIONS = ["setActive", "registerGlobal", "recordInputOutput", "flushOnSignal"] as const;
const RETRY_OPTIONS = ["initialDelayMillis", "maxDelayMillis", "maxElapsedMillis"] as const;

function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

/**
 * Checks the shape of a tracer's options, throwing a `TypeError` that names every option with
 * a value of the wrong kind. Missing credentials are not errors here: they turn export off.
 */
export function validateConfig(config: unknown, who: string): asserts config is TracerConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new TypeError(`${who}: options must be an object`);
  }
  const c = config as Record<string, unknown>;
  const problems: string[] = [];
  const check = (key: string, ok: boolean, expected: string) => {
    if (c[key] !== undefined && !ok) problems.push(`${key} must be ${expected}`);
  };
  for (const key of STRING_OPTIONS) check(key, typeof c[key] === "string", "a string");
  for (const key of POSITIVE_INTEGER_OPTIONS) check(key, isPositiveInteger(c[key]), "a positive integer");
  for (const key of FUNCTION_OPTIONS) check(key, typeof c[key] === "function", "a function");
  for (const key of BOOLEAN_OPTIONS) check(key, typeof c[key] === "boolean", "true or false");
  check("spanProcessors", Array.isArray(c.spanProcessors), "an array of span processors");
  check("resourceAttributes", typeof c.resourceAttributes === "object" && c.resourceAttributes !== null, "an object");
  const retry = c.retry as Record<string, unknown> | undefined;
  check("retry", typeof retry === "object" && retry !== null, "an object");
  if (typeof retry === "object" && retry !== null) {
    for (const key of RETRY_OPTIONS)
      if (retry[key] !== undefined && !isPositiveInteger(retry[key])) problems.push(`retry.${key} must be a positive integer`);
  }
  const keys = c.propagatingKeys;
  check("propagatingKeys", Array.isArray(keys), "an array of strings");
  if (Array.isArray(keys)) {
    const problem = keys.map(declaredKeyProblem).find((p) => p !== undefined);
    if (problem) problems.push(`propagatingKeys ${problem}`);
  }
  if (typeof c.apiUrl === "string" && c.apiUrl.trim() !== "" && !/^https?:\/\/[^/]/i.test(c.apiUrl.trim()))
    problems.push("apiUrl must be an http(s) URL");
  if (problems.length > 0) throw new TypeError(`${who}: ${problems.join("; ")}`);
}
