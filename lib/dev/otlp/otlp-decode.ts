import { otlpType } from "./otlp-schema.js";
import type {
  AttributeValue,
  Attributes,
  SpanKindName,
  StatusCodeName,
  StoredSpan,
} from "../types.js";

/** A span as decoded from one export request, before the store adds its bookkeeping. */
export type DecodedSpan = Pick<
  StoredSpan,
  | "traceId"
  | "spanId"
  | "parentSpanId"
  | "name"
  | "kind"
  | "startTimeUnixNano"
  | "endTimeUnixNano"
  | "status"
  | "attributes"
  | "events"
  | "links"
  | "resource"
  | "scope"
>;

/** Thrown for a body that is not a valid `ExportTraceServiceRequest`. */
export class MalformedOtlpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedOtlpError";
  }
}

// Shapes produced by protobufjs `toObject` with the options below.
interface RawAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: RawAnyValue[] };
  kvlistValue?: { values?: RawKeyValue[] };
  bytesValue?: Uint8Array;
}
interface RawKeyValue {
  key?: string;
  value?: RawAnyValue;
}
interface RawSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: RawKeyValue[];
  events?: { timeUnixNano?: string; name?: string; attributes?: RawKeyValue[] }[];
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; attributes?: RawKeyValue[] }[];
  status?: { message?: string; code?: number };
}
interface RawRequest {
  resourceSpans?: {
    resource?: { attributes?: RawKeyValue[] };
    scopeSpans?: { scope?: { name?: string; version?: string }; spans?: RawSpan[] }[];
  }[];
}

const TO_OBJECT = { longs: String, defaults: false, arrays: true } as const;
const SPAN_KINDS: readonly SpanKindName[] = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const STATUS_CODES: readonly StatusCodeName[] = ["unset", "ok", "error"];
// Nested AnyValues are bounded by the body size anyway; this only keeps a hostile
// payload from recursing deep enough to overflow the stack.
const MAX_VALUE_DEPTH = 64;

/** Lowercase hex of a byte string. */
function toHex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex") : "";
}

/** Converts an OTLP `AnyValue` to plain JSON-compatible data. */
function decodeAnyValue(value: RawAnyValue | undefined, depth = 0): AttributeValue {
  if (!value) return null;
  if (depth > MAX_VALUE_DEPTH) throw new MalformedOtlpError("AnyValue nested too deeply");
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return toHex(value.bytesValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map((v) => decodeAnyValue(v, depth + 1));
  if (value.kvlistValue !== undefined) return decodeAttributes(value.kvlistValue.values, depth + 1);
  return null;
}

function decodeAttributes(list: RawKeyValue[] | undefined, depth = 0): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) {
    if (kv.key !== undefined) out[kv.key] = decodeAnyValue(kv.value, depth);
  }
  return out;
}

function requireId(bytes: Uint8Array | undefined, length: number, what: string): string {
  if (!bytes || bytes.byteLength !== length) {
    throw new MalformedOtlpError(`${what} must be ${length} bytes, got ${bytes?.byteLength ?? 0}`);
  }
  const hex = toHex(bytes);
  if (/^0+$/.test(hex)) throw new MalformedOtlpError(`${what} must not be all zeros`);
  return hex;
}

function decodeSpan(raw: RawSpan, resource: Attributes, scope: { name: string; version: string }): DecodedSpan {
  const parent = raw.parentSpanId && raw.parentSpanId.byteLength > 0 ? toHex(raw.parentSpanId) : null;
  return {
    traceId: requireId(raw.traceId, 16, "trace_id"),
    spanId: requireId(raw.spanId, 8, "span_id"),
    parentSpanId: parent,
    name: raw.name ?? "",
    kind: SPAN_KINDS[raw.kind ?? 0] ?? "unspecified",
    startTimeUnixNano: raw.startTimeUnixNano ?? "0",
    endTimeUnixNano: raw.endTimeUnixNano ?? "0",
    status: { code: STATUS_CODES[raw.status?.code ?? 0] ?? "unset", message: raw.status?.message ?? "" },
    attributes: decodeAttributes(raw.attributes),
    events: (raw.events ?? []).map((e) => ({
      name: e.name ?? "",
      timeUnixNano: e.timeUnixNano ?? "0",
      attributes: decodeAttributes(e.attributes),
    })),
    links: (raw.links ?? []).map((l) => ({
      traceId: toHex(l.traceId),
      spanId: toHex(l.spanId),
      traceState: l.traceState ?? "",
      attributes: decodeAttributes(l.attributes),
    })),
    resource,
    scope,
  };
}

/**
 * Decodes an OTLP/HTTP protobuf `ExportTraceServiceRequest` into spans.
 * @throws MalformedOtlpError when the body is not valid protobuf of that message
 *   or a span lacks well-formed ids.
 */
export function decodeExportRequest(body: Uint8Array): DecodedSpan[] {
  const type = otlpType("ExportTraceServiceRequest");
  let raw: RawRequest;
  try {
    raw = type.toObject(type.decode(body), TO_OBJECT);
  } catch (err) {
    throw new MalformedOtlpError(`not an OTLP ExportTraceServiceRequest: ${(err as Error).message}`);
  }
  const spans: DecodedSpan[] = [];
  for (const rs of raw.resourceSpans ?? []) {
    const resource = decodeAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      const scope = { name: ss.scope?.name ?? "", version: ss.scope?.version ?? "" };
      for (const span of ss.spans ?? []) spans.push(decodeSpan(span, resource, scope));
    }
  }
  return spans;
}
