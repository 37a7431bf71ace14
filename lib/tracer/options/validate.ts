import { declaredKeyProblem } from "../../context/trusted-baggage.js";
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

/** Every option of a tracer: the caller's object is read once, key by key, into a plain copy. */
const CONFIG_KEYS: Record<keyof TracerConfig, true> = {
  projectName: true,
  apiKey: true,
  organizationId: true,
  apiUrl: true,
  environment: true,
  setActive: true,
  serializer: true,
  maxAttributeBytes: true,
  resourceAttributes: true,
  sampler: true,
  spanLimits: true,
  spanProcessors: true,
  exportIntervalMillis: true,
  maxQueueSize: true,
  maxOpenSpans: true,
  maxExportBatchSize: true,
  exportTimeoutMillis: true,
  registerGlobal: true,
  retry: true,
  spoolDir: true,
  mask: true,
  recordInputOutput: true,
  prices: true,
  propagatingKeys: true,
  flushOnSignal: true,
};

/** Whether `value` is an object that is not an array; false for a revoked Proxy. */
function isOptionsObject(value: unknown): value is Record<string, unknown> {
  try {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * A plain copy of a tracer's options (and of `extra` keys, e.g. an offline tracer's `dataset`),
 * each read once, so a getter or Proxy trap cannot throw later from inside the tracer. Throws a
 * `TypeError` naming the options that could not be read.
 */
function plainCopy(config: unknown, who: string, extra: readonly string[]): Record<string, unknown> {
  if (!isOptionsObject(config)) throw new TypeError(`${who}: options must be an object`);
  const out: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const key of [...Object.keys(CONFIG_KEYS), ...extra]) {
    try {
      const value = config[key];
      if (value !== undefined) out[key] = value;
    } catch {
      unreadable.push(key);
    }
  }
  if (unreadable.length > 0) {
    const named = unreadable.length > 3 ? `${unreadable.slice(0, 3).join(", ")}, …` : unreadable.join(", ");
    throw new TypeError(`${who}: options could not be read (${named}: a getter or Proxy trap threw)`);
  }
  return out;
}

/** `retry`'s fields, read defensively; undefined when it cannot be read at all. */
function retryFields(retry: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  try {
    for (const key of RETRY_OPTIONS) if (retry[key] !== undefined) out[key] = retry[key];
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Checks the shape of a tracer's options and returns a plain copy of them (see {@link plainCopy}),
 * throwing a `TypeError` that names every option with a value of the wrong kind. Missing
 * credentials are not errors here: they turn export off.
 */
export function validateConfig<T extends TracerConfig = TracerConfig>(config: unknown, who: string, extra: readonly string[] = []): T {
  const c = plainCopy(config, who, extra);
  const problems: string[] = [];
  const check = (key: string, ok: boolean, expected: string) => {
    if (c[key] !== undefined && !ok) problems.push(`${key} must be ${expected}`);
  };
  for (const key of STRING_OPTIONS) check(key, typeof c[key] === "string", "a string");
  for (const key of POSITIVE_INTEGER_OPTIONS) check(key, isPositiveInteger(c[key]), "a positive integer");
  for (const key of FUNCTION_OPTIONS) check(key, typeof c[key] === "function", "a function");
  for (const key of BOOLEAN_OPTIONS) check(key, typeof c[key] === "boolean", "true or false");
  check("spanProcessors", Array.isArray(c.spanProcessors), "an array of span processors");
  if (Array.isArray(c.spanProcessors)) {
    try {
      c.spanProcessors = [...(c.spanProcessors as unknown[])];
    } catch {
      problems.push("spanProcessors could not be read");
    }
  }
  check("resourceAttributes", typeof c.resourceAttributes === "object" && c.resourceAttributes !== null, "an object");
  const retry = isOptionsObject(c.retry) ? retryFields(c.retry) : undefined;
  check("retry", retry !== undefined, "an object");
  if (retry !== undefined) {
    c.retry = retry;
    for (const key of RETRY_OPTIONS)
      if (retry[key] !== undefined && !isPositiveInteger(retry[key])) problems.push(`retry.${key} must be a positive integer`);
  }
  const keys = c.propagatingKeys;
  check("propagatingKeys", Array.isArray(keys), "an array of strings");
  if (Array.isArray(keys)) {
    try {
      c.propagatingKeys = [...(keys as unknown[])];
      const problem = (c.propagatingKeys as unknown[]).map(declaredKeyProblem).find((p) => p !== undefined);
      if (problem) problems.push(`propagatingKeys ${problem}`);
    } catch {
      problems.push("propagatingKeys could not be read");
    }
  }
  if (typeof c.apiUrl === "string" && c.apiUrl.trim() !== "" && !/^https?:\/\/[^/]/i.test(c.apiUrl.trim()))
    problems.push("apiUrl must be an http(s) URL");
  if (problems.length > 0) throw new TypeError(`${who}: ${problems.join("; ")}`);
  return c as T;
}
