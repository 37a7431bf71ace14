import type protobuf from "protobufjs";
import { otlpType } from "./otlp-schema.js";
import type { AttributeValue, Attributes, SpanKindName, StatusCodeName, StoredSpan } from "../types.js";

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

/** Caps applied while decoding (see `IngestLimits`). */
export interface DecodeLimits {
  maxSpans: number;
  maxAttributes: number;
  maxDepth: number;
}

/** Default caps: far above what the SDK sends, far below what stalls the server. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxSpans: 20_000, maxAttributes: 2_000, maxDepth: 32 };

/** Thrown when a request is well-formed but over one of the {@link DecodeLimits}; the message names the limit. */
export class OtlpLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OtlpLimitError";
  }
}

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

/** Lowercase hex of a byte string. */
function toHex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex") : "";
}

/** Decodes values under the limits, naming the span that broke one. */
class ValueDecoder {
  /** Name of the span being decoded, for limit messages. */
  where = "";

  constructor(private readonly limits: DecodeLimits) {}

  /** Converts an OTLP `AnyValue` to plain JSON-compatible data. */
  value(value: RawAnyValue | undefined, depth: number): AttributeValue {
    if (!value) return null;
    if (value.stringValue !== undefined) return value.stringValue;
    if (value.boolValue !== undefined) return value.boolValue;
    if (value.intValue !== undefined) return Number(value.intValue);
    if (value.doubleValue !== undefined) return value.doubleValue;
    if (value.bytesValue !== undefined) return toHex(value.bytesValue);
    if (depth >= this.limits.maxDepth) {
      throw new OtlpLimitError(
        `${this.where}: an attribute value is nested deeper than ${this.limits.maxDepth} levels (limits.maxValueDepth)`,
      );
    }
    if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map((v) => this.value(v, depth + 1));
    if (value.kvlistValue !== undefined) return this.attributes(value.kvlistValue.values, depth + 1);
    return null;
  }

  /** An attribute map; a key `__proto__` becomes an ordinary own property. */
  attributes(list: RawKeyValue[] | undefined, depth = 0): Attributes {
    const out: Attributes = {};
    if (!list) return out;
    if (list.length > this.limits.maxAttributes) {
      throw new OtlpLimitError(
        `${this.where}: ${list.length} attributes in one map; the limit is ${this.limits.maxAttributes} (limits.maxAttributesPerSpan)`,
      );
    }
    for (const kv of list) {
      if (kv.key === undefined) continue;
      const v = this.value(kv.value, depth);
      if (kv.key === "__proto__") Object.defineProperty(out, kv.key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[kv.key] = v;
    }
    return out;
  }
}

function requireId(bytes: Uint8Array | undefined, length: number, what: string): string {
  if (!bytes || bytes.byteLength !== length) {
    throw new MalformedOtlpError(`${what} must be ${length} bytes, got ${bytes?.byteLength ?? 0}`);
  }
  const hex = toHex(bytes);
  if (/^0+$/.test(hex)) throw new MalformedOtlpError(`${what} must not be all zeros`);
  return hex;
}

function decodeSpan(raw: RawSpan, resource: Attributes, scope: { name: string; version: string }, values: ValueDecoder): DecodedSpan {
  values.where = `span "${(raw.name ?? "").slice(0, 100)}"`;
  const decodeAttributes = (list: RawKeyValue[] | undefined): Attributes => values.attributes(list);
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
 * @throws OtlpLimitError when the request is over one of `limits`.
 */
export function decodeExportRequest(body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodedSpan[] {
  const type = otlpType("ExportTraceServiceRequest");
  let message: protobuf.Message;
  try {
    message = type.decode(body);
  } catch (err) {
    throw new MalformedOtlpError(`not an OTLP ExportTraceServiceRequest: ${(err as Error).message}`);
  }
  // Count before converting: the conversion is the costly part.
  let count = 0;
  for (const rs of (message as unknown as RawRequest).resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) count += ss.spans?.length ?? 0;
  }
  if (count > limits.maxSpans) {
    throw new OtlpLimitError(
      `the request carries ${count} spans; the limit is ${limits.maxSpans} per request (limits.maxSpansPerRequest): send smaller batches`,
    );
  }
  const raw = type.toObject(message, TO_OBJECT) as RawRequest;
  const values = new ValueDecoder(limits);
  const spans: DecodedSpan[] = [];
  for (const rs of raw.resourceSpans ?? []) {
    values.where = "resource";
    const resource = values.attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      const scope = { name: ss.scope?.name ?? "", version: ss.scope?.version ?? "" };
      for (const span of ss.spans ?? []) spans.push(decodeSpan(span, resource, scope, values));
    }
  }
  return spans;
}
