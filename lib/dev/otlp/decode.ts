import { I64, key, LEN, VARINT } from "../../wire/protobuf.js";
import { WireFormatError, WireReader } from "./otlp-reader.js";
import type { AttributeValue, Attributes, SpanKindName, StatusCodeName, StoredEvent, StoredLink, StoredSpan } from "../store/span-types.js";

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
  | "durationMs"
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

const SPAN_KINDS: readonly SpanKindName[] = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const STATUS_CODES: readonly StatusCodeName[] = ["unset", "ok", "error"];
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
const TWO_32 = 4294967296;

// Field keys of the OTLP messages read here (opentelemetry-proto trace/v1, common/v1).
const F = {
  request: { resourceSpans: key(1, LEN) },
  resourceSpans: { resource: key(1, LEN), scopeSpans: key(2, LEN) },
  resource: { attributes: key(1, LEN) },
  scopeSpans: { scope: key(1, LEN), spans: key(2, LEN) },
  scope: { name: key(1, LEN), version: key(2, LEN) },
  span: {
    traceId: key(1, LEN),
    spanId: key(2, LEN),
    parentSpanId: key(4, LEN),
    name: key(5, LEN),
    kind: key(6, VARINT),
    start: key(7, I64),
    end: key(8, I64),
    attributes: key(9, LEN),
    events: key(11, LEN),
    links: key(13, LEN),
    status: key(15, LEN),
  },
  event: { time: key(1, I64), name: key(2, LEN), attributes: key(3, LEN) },
  link: { traceId: key(1, LEN), spanId: key(2, LEN), traceState: key(3, LEN), attributes: key(4, LEN) },
  status: { message: key(2, LEN), code: key(3, VARINT) },
  keyValue: { key: key(1, LEN), value: key(2, LEN) },
  anyValue: {
    string: key(1, LEN),
    bool: key(2, VARINT),
    int: key(3, VARINT),
    double: key(4, I64),
    array: key(5, LEN),
    kvlist: key(6, LEN),
    bytes: key(7, LEN),
  },
  list: { values: key(1, LEN) },
} as const;

/** A limit was passed inside a span or resource; the message is completed with where once known. */
class LimitBreach extends Error {}

/**
 * Decodes the messages of one request straight from its bytes into spans, under
 * the limits. Submessages are read where they lie: a `ResourceSpans` or
 * `ScopeSpans` is walked twice (its resource or scope first, then its spans), so
 * field order on the wire does not matter.
 */
class RequestDecoder {
  constructor(
    private readonly r: WireReader,
    private readonly limits: DecodeLimits,
  ) {}

  request(): DecodedSpan[] {
    const r = this.r;
    const spans: DecodedSpan[] = [];
    for (let end: number; (end = r.nextMessage(r.length, F.request.resourceSpans)) >= 0;) this.resourceSpans(end, spans);
    return spans;
  }

  private resourceSpans(end: number, out: DecodedSpan[]): void {
    const r = this.r;
    const start = r.pos;
    const resource: Attributes = {};
    let count = 0;
    for (let resourceEnd: number; (resourceEnd = r.nextMessage(end, F.resourceSpans.resource)) >= 0;) {
      while (r.pos < resourceEnd) {
        const inner = r.uint32();
        if (inner !== F.resource.attributes) {
          r.skip(inner & 7);
          continue;
        }
        if (++count > this.limits.maxAttributes) throw new OtlpLimitError(`resource: ${this.tooMany(count, resourceEnd, inner)}`);
        this.guard("resource", () => this.keyValue(resource, r.delimited(), 0));
      }
    }
    r.pos = start;
    for (let scopeEnd: number; (scopeEnd = r.nextMessage(end, F.resourceSpans.scopeSpans)) >= 0;) this.scopeSpans(scopeEnd, resource, out);
  }

  private scopeSpans(end: number, resource: Attributes, out: DecodedSpan[]): void {
    const r = this.r;
    const start = r.pos;
    const scope = { name: "", version: "" };
    for (let scopeEnd: number; (scopeEnd = r.nextMessage(end, F.scopeSpans.scope)) >= 0;) {
      while (r.pos < scopeEnd) {
        const inner = r.uint32();
        if (inner === F.scope.name) scope.name = r.string();
        else if (inner === F.scope.version) scope.version = r.string();
        else r.skip(inner & 7);
      }
    }
    r.pos = start;
    for (let spanEnd: number; (spanEnd = r.nextMessage(end, F.scopeSpans.spans)) >= 0;) {
      const spanStart = r.pos;
      try {
        out.push(this.span(spanEnd, resource, scope));
      } catch (err) {
        if (!(err instanceof LimitBreach)) throw err;
        throw new OtlpLimitError(`span "${this.spanName(spanStart, spanEnd).slice(0, 100)}": ${err.message}`);
      }
    }
  }

  private span(end: number, resource: Attributes, scope: { name: string; version: string }): DecodedSpan {
    const r = this.r;
    const f = F.span;
    let traceId: string | undefined;
    let spanId: string | undefined;
    let parentSpanId: string | null = null;
    let name = "";
    let kind = 0;
    let start = "0";
    let endNs = "0";
    let startHi = 0;
    let startLo = 0;
    let endHi = 0;
    let endLo = 0;
    const attributes: Attributes = {};
    let attributeCount = 0;
    const events: StoredEvent[] = [];
    const links: StoredLink[] = [];
    let statusCode = 0;
    let statusMessage = "";
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case f.traceId:
          traceId = r.hex();
          break;
        case f.spanId:
          spanId = r.hex();
          break;
        case f.parentSpanId:
          parentSpanId = r.hex() || null;
          break;
        case f.name:
          name = r.string();
          break;
        case f.kind:
          kind = r.uint32();
          break;
        case f.start:
          start = r.nanos();
          startHi = r.hi;
          startLo = r.lo;
          break;
        case f.end:
          endNs = r.nanos();
          endHi = r.hi;
          endLo = r.lo;
          break;
        case f.attributes:
          if (++attributeCount > this.limits.maxAttributes) throw new LimitBreach(this.tooMany(attributeCount, end, tag));
          this.keyValue(attributes, r.delimited(), 0);
          break;
        case f.events:
          events.push(this.event(r.delimited()));
          break;
        case f.links:
          links.push(this.link(r.delimited()));
          break;
        case f.status: {
          const statusEnd = r.delimited();
          while (r.pos < statusEnd) {
            const inner = r.uint32();
            if (inner === F.status.message) statusMessage = r.string();
            else if (inner === F.status.code) statusCode = r.uint32();
            else r.skip(inner & 7);
          }
          break;
        }
        default:
          r.skip(tag & 7);
      }
    }
    const duration = (endHi - startHi) * TWO_32 + (endLo - startLo);
    return {
      traceId: requireId(traceId, 16, "trace_id", ZERO_TRACE_ID),
      spanId: requireId(spanId, 8, "span_id", ZERO_SPAN_ID),
      parentSpanId,
      name,
      kind: SPAN_KINDS[kind] ?? "unspecified",
      startTimeUnixNano: start,
      endTimeUnixNano: endNs,
      durationMs: (endHi > 0 || endLo > 0) && duration >= 0 ? duration / 1e6 : 0,
      status: { code: STATUS_CODES[statusCode] ?? "unset", message: statusMessage },
      attributes,
      events,
      links,
      resource,
      scope,
    };
  }

  private event(end: number): StoredEvent {
    const r = this.r;
    let name = "";
    let time = "0";
    const attributes: Attributes = {};
    let count = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === F.event.time) time = r.nanos();
      else if (tag === F.event.name) name = r.string();
      else if (tag === F.event.attributes) {
        if (++count > this.limits.maxAttributes) throw new LimitBreach(this.tooMany(count, end, tag));
        this.keyValue(attributes, r.delimited(), 0);
      } else r.skip(tag & 7);
    }
    return { name, timeUnixNano: time, attributes };
  }

  private link(end: number): StoredLink {
    const r = this.r;
    let traceId = "";
    let spanId = "";
    let traceState = "";
    const attributes: Attributes = {};
    let count = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === F.link.traceId) traceId = r.hex();
      else if (tag === F.link.spanId) spanId = r.hex();
      else if (tag === F.link.traceState) traceState = r.string();
      else if (tag === F.link.attributes) {
        if (++count > this.limits.maxAttributes) throw new LimitBreach(this.tooMany(count, end, tag));
        this.keyValue(attributes, r.delimited(), 0);
      } else r.skip(tag & 7);
    }
    return { traceId, spanId, traceState, attributes };
  }

  /** Reads one `KeyValue` into `target`; a key `__proto__` becomes an ordinary own property. */
  private keyValue(target: Attributes, end: number, depth: number): void {
    const r = this.r;
    let name: string | undefined;
    let value: AttributeValue = null;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === F.keyValue.key) name = r.key();
      else if (tag === F.keyValue.value) value = this.anyValue(r.delimited(), depth);
      else r.skip(tag & 7);
    }
    if (name === undefined) return;
    if (name === "__proto__") Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
    else target[name] = value;
  }

  /** Converts an OTLP `AnyValue` to plain JSON-compatible data. */
  private anyValue(end: number, depth: number): AttributeValue {
    const r = this.r;
    const f = F.anyValue;
    let value: AttributeValue = null;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case f.string:
          value = r.string();
          break;
        case f.bool:
          value = r.uint32() !== 0;
          break;
        case f.int:
          value = r.int64();
          break;
        case f.double:
          value = r.double();
          break;
        case f.bytes:
          value = r.hex();
          break;
        case f.array:
        case f.kvlist: {
          if (depth >= this.limits.maxDepth) {
            throw new LimitBreach(`an attribute value is nested deeper than ${this.limits.maxDepth} levels (limits.maxValueDepth)`);
          }
          value = tag === f.array ? this.array(r.delimited(), depth + 1) : this.kvlist(r.delimited(), depth + 1);
          break;
        }
        default:
          r.skip(tag & 7);
      }
    }
    return value;
  }

  private array(end: number, depth: number): AttributeValue[] {
    const r = this.r;
    const out: AttributeValue[] = [];
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === F.list.values) out.push(this.anyValue(r.delimited(), depth));
      else r.skip(tag & 7);
    }
    return out;
  }

  private kvlist(end: number, depth: number): Attributes {
    const r = this.r;
    const out: Attributes = {};
    let count = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag !== F.list.values) {
        r.skip(tag & 7);
        continue;
      }
      if (++count > this.limits.maxAttributes) throw new LimitBreach(this.tooMany(count, end, tag));
      this.keyValue(out, r.delimited(), depth);
    }
    return out;
  }

  /** Runs `fn`, turning a limit breach into an error that says where. */
  private guard(where: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof LimitBreach) throw new OtlpLimitError(`${where}: ${err.message}`);
      throw err;
    }
  }

  /** The message for a map over the attribute limit: counts the rest of the map's entries (`tag` fields up to `end`). */
  private tooMany(seen: number, end: number, tag: number): string {
    const r = this.r;
    let count = seen;
    r.skip(tag & 7);
    while (r.pos < end) {
      const next = r.uint32();
      if (next === tag) count += 1;
      r.skip(next & 7);
    }
    return `${count} attributes in one map; the limit is ${this.limits.maxAttributes} (limits.maxAttributesPerSpan)`;
  }

  /** The name of the span between `start` and `end`, read again for an error message. */
  private spanName(start: number, end: number): string {
    const r = this.r;
    r.pos = start;
    let name = "";
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === F.span.name) name = r.string();
      else r.skip(tag & 7);
    }
    return name;
  }
}

function requireId(hex: string | undefined, length: number, what: string, zero: string): string {
  if (hex === undefined || hex.length !== length * 2) {
    throw new MalformedOtlpError(`${what} must be ${length} bytes, got ${(hex?.length ?? 0) / 2}`);
  }
  if (hex === zero) throw new MalformedOtlpError(`${what} must not be all zeros`);
  return hex;
}

/** Counts the spans of a request without decoding them. */
function countSpans(r: WireReader): number {
  let count = 0;
  const within = (end: number, want: number, each: (end: number) => void): void => {
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === want) each(r.delimited());
      else r.skip(tag & 7);
    }
  };
  within(r.length, F.request.resourceSpans, (rsEnd) =>
    within(rsEnd, F.resourceSpans.scopeSpans, (ssEnd) =>
      within(ssEnd, F.scopeSpans.spans, (spanEnd) => {
        count += 1;
        r.pos = spanEnd;
      }),
    ),
  );
  return count;
}

/**
 * Decodes an OTLP/HTTP protobuf `ExportTraceServiceRequest` into spans, reading
 * the wire format directly (no intermediate message objects).
 * @throws MalformedOtlpError when the body is not valid protobuf of that message
 *   or a span lacks well-formed ids.
 * @throws OtlpLimitError when the request is over one of `limits`.
 */
export function decodeExportRequest(body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodedSpan[] {
  const reader = new WireReader(body);
  try {
    // Count first: a request over the cap is refused before any span is built.
    const count = countSpans(reader);
    if (count > limits.maxSpans) {
      throw new OtlpLimitError(
        `the request carries ${count} spans; the limit is ${limits.maxSpans} per request (limits.maxSpansPerRequest): send smaller batches`,
      );
    }
    reader.pos = 0;
    return new RequestDecoder(reader, limits).request();
  } catch (err) {
    if (err instanceof WireFormatError) throw new MalformedOtlpError(`not an OTLP ExportTraceServiceRequest: ${err.message}`);
    throw err;
  }
}
