import type { Attributes, SpanKindName, StatusCodeName, StoredEvent, StoredLink, StoredSpan } from "./span-types.js";
import { spanMs } from "./nanos.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const NANOS = /^\d{1,20}$/;

function parseObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a span of the first layout (the whole span as one JSON text) back.
 * Undefined for text that is not JSON or not shaped like a span (a damaged or
 * hand-edited row): the caller skips and counts it.
 */
export function parseStoredSpan(text: unknown): StoredSpan | undefined {
  const v = parseObject(text);
  if (v === undefined) return undefined;
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

/**
 * The body of a span row: what the row's columns, its trace row and its origin
 * row (project, resource, scope) do not already hold — kind, attributes, events,
 * links, the status message, and a time's exact text when its column had to be
 * clamped. Written by concatenation: one `JSON.stringify` per part, no wrapper object.
 */
export function spanBody(span: StoredSpan, startClamped: boolean, endClamped: boolean): string {
  let body = `{"kind":${JSON.stringify(span.kind)},"attributes":${JSON.stringify(span.attributes)}`;
  if (span.events.length > 0) body += `,"events":${JSON.stringify(span.events)}`;
  if (span.links.length > 0) body += `,"links":${JSON.stringify(span.links)}`;
  if (span.status.message !== "") body += `,"statusMessage":${JSON.stringify(span.status.message)}`;
  if (startClamped) body += `,"start":"${span.startTimeUnixNano}"`;
  if (endClamped) body += `,"end":"${span.endTimeUnixNano}"`;
  return `${body}}`;
}

/** The resource and scope of an origin row, parsed once per read. */
export interface Origin {
  projectId: string;
  resource: Attributes;
  scope: { name: string; version: string };
}

/** Parses an origin row; undefined when damaged. */
export function parseOrigin(projectId: unknown, resource: unknown, scope: unknown): Origin | undefined {
  const r = parseObject(resource);
  const s = parseObject(scope);
  if (typeof projectId !== "string" || r === undefined || s === undefined) return undefined;
  if (typeof s["name"] !== "string" || typeof s["version"] !== "string") return undefined;
  return { projectId, resource: r as Attributes, scope: { name: s["name"], version: s["version"] } };
}

/** The columns of a span row that {@link readSpanRow} needs, already read from SQL. */
export interface SpanColumns {
  traceId: string;
  offline: boolean;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  spanType: string;
  status: string;
  /** Times as decimal text of the (possibly clamped) integer columns. */
  start: string;
  end: string;
  updateId: number;
  receivedAt: number;
  body: unknown;
}

// Absent (or null, as the migration from the whole-span layout writes them) means the default.
const optionalArray = (v: unknown): unknown[] | undefined => (v === undefined || v === null ? [] : Array.isArray(v) ? v : undefined);
const optionalText = (v: unknown, fallback: string): string | undefined =>
  v === undefined || v === null ? fallback : typeof v === "string" && NANOS.test(v) ? v : undefined;

/** Builds a span from its row and origin; undefined when the body is damaged. */
export function readSpanRow(c: SpanColumns, origin: Origin): StoredSpan | undefined {
  const body = parseObject(c.body);
  if (body === undefined) return undefined;
  const attributes = body["attributes"];
  const events = optionalArray(body["events"]);
  const links = optionalArray(body["links"]);
  const message = body["statusMessage"] ?? "";
  const start = optionalText(body["start"], c.start);
  const end = optionalText(body["end"], c.end);
  if (
    typeof body["kind"] !== "string" ||
    !isObject(attributes) ||
    events === undefined ||
    links === undefined ||
    typeof message !== "string" ||
    start === undefined ||
    end === undefined
  ) {
    return undefined;
  }
  return {
    traceId: c.traceId,
    spanId: c.spanId,
    parentSpanId: c.parentSpanId,
    name: c.name,
    kind: body["kind"] as SpanKindName,
    spanType: c.spanType,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationMs: spanMs(start, end),
    ended: end !== "0",
    status: { code: c.status as StatusCodeName, message },
    attributes: attributes as Attributes,
    events: events as StoredEvent[],
    links: links as StoredLink[],
    resource: origin.resource,
    scope: origin.scope,
    updateId: c.updateId,
    offline: c.offline,
    projectId: origin.projectId,
    receivedAt: c.receivedAt,
  };
}
