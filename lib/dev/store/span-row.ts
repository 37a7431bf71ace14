import type { StoredSpan } from "../types.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const NANOS = /^\d{1,20}$/;

/**
 * Reads a stored span back from its JSON text. Undefined for text that is not
 * JSON or not shaped like a span (a damaged or hand-edited row): the caller
 * skips and counts it rather than failing every query that meets it.
 */
export function parseStoredSpan(text: unknown): StoredSpan | undefined {
  if (typeof text !== "string") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const v = value;
  const ok =
    typeof v["traceId"] === "string" &&
    /^[0-9a-f]{32}$/.test(v["traceId"]) &&
    typeof v["spanId"] === "string" &&
    /^[0-9a-f]{16}$/.test(v["spanId"]) &&
    (v["parentSpanId"] === null || typeof v["parentSpanId"] === "string") &&
    typeof v["name"] === "string" &&
    typeof v["kind"] === "string" &&
    typeof v["spanType"] === "string" &&
    typeof v["startTimeUnixNano"] === "string" &&
    NANOS.test(v["startTimeUnixNano"]) &&
    typeof v["endTimeUnixNano"] === "string" &&
    NANOS.test(v["endTimeUnixNano"]) &&
    typeof v["durationMs"] === "number" &&
    typeof v["ended"] === "boolean" &&
    isObject(v["status"]) &&
    typeof v["status"]["code"] === "string" &&
    isObject(v["attributes"]) &&
    Array.isArray(v["events"]) &&
    Array.isArray(v["links"]) &&
    isObject(v["resource"]) &&
    isObject(v["scope"]) &&
    typeof v["updateId"] === "number" &&
    typeof v["offline"] === "boolean" &&
    typeof v["projectId"] === "string" &&
    typeof v["receivedAt"] === "number";
  return ok ? (v as unknown as StoredSpan) : undefined;
}
