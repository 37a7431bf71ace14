import type { Attributes, HrTime, Link, SpanContext } from "@opentelemetry/api";
import type { InstrumentationScope, ReadableSpan, Resource, TimedEvent } from "../../otel/sdk.js";
import { I32, I64, key, LEN, VARINT } from "../../wire/protobuf.js";
import { ProtoWriter, varintSize } from "./proto-writer.js";

/*
 * ExportTraceServiceRequest (opentelemetry-proto collector/trace/v1) written straight from SDK
 * spans. Tags are field keys computed once, `key(field, wireType)` (wire/protobuf.ts). Fields at
 * their proto3 default (zero counts, an UNSET status code, empty strings) are left out: a decoder
 * reads them the same.
 */

// ResourceSpans: resource 1, scope_spans 2, schema_url 3. ScopeSpans: scope 1, spans 2, schema_url 3.
const RESOURCE_SPANS = key(1, LEN);
const GROUP_RESOURCE = key(1, LEN);
const GROUP_ITEMS = key(2, LEN);
const GROUP_SCHEMA_URL = key(3, LEN);
// Resource: attributes 1, dropped_attributes_count 2.
const RESOURCE_ATTRIBUTES = key(1, LEN);
// InstrumentationScope: name 1, version 2, attributes 3, dropped_attributes_count 4.
const SCOPE_NAME = key(1, LEN);
const SCOPE_VERSION = key(2, LEN);
const SCOPE_ATTRIBUTES = key(3, LEN);
const SCOPE_DROPPED = key(4, VARINT);
// Span.
const SPAN_TRACE_ID = key(1, LEN);
const SPAN_ID = key(2, LEN);
const SPAN_TRACE_STATE = key(3, LEN);
const SPAN_PARENT_ID = key(4, LEN);
const SPAN_NAME = key(5, LEN);
const SPAN_KIND = key(6, VARINT);
const SPAN_START = key(7, I64);
const SPAN_END = key(8, I64);
const SPAN_ATTRIBUTES = key(9, LEN);
const SPAN_DROPPED_ATTRIBUTES = key(10, VARINT);
const SPAN_EVENT = key(11, LEN);
const SPAN_DROPPED_EVENTS = key(12, VARINT);
const SPAN_LINK = key(13, LEN);
const SPAN_DROPPED_LINKS = key(14, VARINT);
const SPAN_STATUS = key(15, LEN);
/** Field 16, fixed32: its key takes two bytes. */
const SPAN_FLAGS = key(16, I32);
// Span.Event: time_unix_nano 1, name 2, attributes 3, dropped_attributes_count 4.
const EVENT_TIME = key(1, I64);
const EVENT_NAME = key(2, LEN);
const EVENT_ATTRIBUTES = key(3, LEN);
const EVENT_DROPPED = key(4, VARINT);
// Span.Link: trace_id 1, span_id 2, trace_state 3, attributes 4, dropped_attributes_count 5, flags 6.
const LINK_TRACE_ID = key(1, LEN);
const LINK_SPAN_ID = key(2, LEN);
const LINK_TRACE_STATE = key(3, LEN);
const LINK_ATTRIBUTES = key(4, LEN);
const LINK_DROPPED = key(5, VARINT);
const LINK_FLAGS = key(6, I32);
// Status: message 2, code 3.
const STATUS_MESSAGE = key(2, LEN);
const STATUS_CODE = key(3, VARINT);
// KeyValue: key 1, value 2. ArrayValue and KeyValueList: values 1.
const KV_KEY = key(1, LEN);
const KV_VALUE = key(2, LEN);
const LIST_ITEM = key(1, LEN);
// AnyValue: string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7.
const ANY_STRING = key(1, LEN);
const ANY_BOOL = key(2, VARINT);
const ANY_INT = key(3, VARINT);
const ANY_DOUBLE = key(4, I64);
const ANY_ARRAY = key(5, LEN);
const ANY_KVLIST = key(6, LEN);
const ANY_BYTES = key(7, LEN);

/** Span flags: the W3C trace flags, and whether the parent (or link) context was remote. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

/**
 * Writes the OTLP export request for `spans`, grouped by resource then scope (in order of first
 * appearance, as OpenTelemetry's serializer groups them). The resource and scope messages are
 * encoded once per object and copied after that.
 */
export class TraceRequestEncoder {
  private readonly out = new ProtoWriter();
  private readonly encodedResources = new WeakMap<Resource, Uint8Array>();
  private readonly encodedScopes = new WeakMap<InstrumentationScope, Uint8Array>();

  encode(spans: readonly ReadableSpan[]): Uint8Array {
    const w = this.out;
    w.reset();
    if (spans.length === 0) return w.take();
    const resource = spans[0].resource;
    const scope = spans[0].instrumentationScope;
    let single = true;
    for (let i = 1; i < spans.length && single; i++) single = spans[i].resource === resource && spans[i].instrumentationScope === scope;
    if (single) {
      this.resourceSpans(resource, [spans]);
    } else {
      for (const [res, scopes] of group(spans)) this.resourceSpans(res, [...scopes.values()]);
    }
    return w.take();
  }

  private resourceSpans(resource: Resource, scopes: readonly (readonly ReadableSpan[])[]): void {
    const w = this.out;
    w.byte(RESOURCE_SPANS);
    const at = w.begin(3);
    w.raw(this.resource(resource));
    for (const spans of scopes) {
      const scope = spans[0].instrumentationScope;
      w.byte(GROUP_ITEMS);
      const scopeAt = w.begin(3);
      w.raw(this.scope(scope));
      for (let i = 0; i < spans.length; i++) {
        w.byte(GROUP_ITEMS);
        writeSpan(w, spans[i]);
      }
      if (scope.schemaUrl) {
        w.byte(GROUP_SCHEMA_URL);
        w.string(scope.schemaUrl);
      }
      w.end(scopeAt, 3);
    }
    if (resource.schemaUrl) {
      w.byte(GROUP_SCHEMA_URL);
      w.string(resource.schemaUrl);
    }
    w.end(at, 3);
  }

  /** The `resource` field of ResourceSpans, tag included. */
  private resource(resource: Resource): Uint8Array {
    const cached = this.encodedResources.get(resource);
    if (cached) return cached;
    const w = new ProtoWriter(1024);
    w.byte(GROUP_RESOURCE);
    const at = w.begin(2);
    writeAttributes(w, resource.attributes, RESOURCE_ATTRIBUTES);
    w.end(at, 2);
    const bytes = w.take();
    // Attributes still being detected may change: encode again next time.
    if (!resource.asyncAttributesPending) this.encodedResources.set(resource, bytes);
    return bytes;
  }

  /** The `scope` field of ScopeSpans, tag included. */
  private scope(scope: InstrumentationScope): Uint8Array {
    const cached = this.encodedScopes.get(scope);
    if (cached) return cached;
    const w = new ProtoWriter(256);
    const { name, version, attributes, droppedAttributesCount } = scope as InstrumentationScope & {
      attributes?: Attributes;
      droppedAttributesCount?: number;
    };
    w.byte(GROUP_RESOURCE);
    const at = w.begin(1);
    if (name) {
      w.byte(SCOPE_NAME);
      w.string(name);
    }
    if (version) {
      w.byte(SCOPE_VERSION);
      w.string(version);
    }
    if (attributes) writeAttributes(w, attributes, SCOPE_ATTRIBUTES);
    if (droppedAttributesCount) {
      w.byte(SCOPE_DROPPED);
      w.uint32(droppedAttributesCount);
    }
    w.end(at, 1);
    const bytes = w.take();
    this.encodedScopes.set(scope, bytes);
    return bytes;
  }
}

/** Spans by resource, then by scope, each in order of first appearance. */
function group(spans: readonly ReadableSpan[]): Map<Resource, Map<InstrumentationScope, ReadableSpan[]>> {
  const byResource = new Map<Resource, Map<InstrumentationScope, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (!byScope) byResource.set(span.resource, (byScope = new Map<InstrumentationScope, ReadableSpan[]>()));
    const list = byScope.get(span.instrumentationScope);
    if (list) list.push(span);
    else byScope.set(span.instrumentationScope, [span]);
  }
  return byResource;
}

function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const at = w.begin(2);
  const ctx = span.spanContext();
  w.byte(SPAN_TRACE_ID);
  w.hex(ctx.traceId);
  w.byte(SPAN_ID);
  w.hex(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.byte(SPAN_TRACE_STATE);
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.byte(SPAN_PARENT_ID);
    w.hex(parent.spanId);
  }
  w.byte(SPAN_NAME);
  w.string(span.name);
  // OTLP counts kinds from 1 (0 is "unspecified"); the API from 0.
  if (span.kind != null) {
    w.byte(SPAN_KIND);
    w.uint32(span.kind + 1);
  }
  w.byte(SPAN_START);
  writeTime(w, span.startTime);
  w.byte(SPAN_END);
  writeTime(w, span.endTime);
  writeAttributes(w, span.attributes, SPAN_ATTRIBUTES);
  count(w, SPAN_DROPPED_ATTRIBUTES, span.droppedAttributesCount);
  const { events, links } = span;
  for (let i = 0; i < events.length; i++) writeEvent(w, events[i]);
  count(w, SPAN_DROPPED_EVENTS, span.droppedEventsCount);
  for (let i = 0; i < links.length; i++) writeLink(w, links[i]);
  count(w, SPAN_DROPPED_LINKS, span.droppedLinksCount);
  w.byte(SPAN_STATUS);
  const statusAt = w.begin(1);
  const { code, message } = span.status;
  if (message) {
    w.byte(STATUS_MESSAGE);
    w.string(message);
  }
  if (code) {
    w.byte(STATUS_CODE);
    w.uint32(code);
  }
  w.end(statusAt, 1);
  w.uint32(SPAN_FLAGS);
  w.fixed32(flags(ctx, parent?.isRemote));
  w.end(at, 2);
}

function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  w.byte(SPAN_EVENT);
  const at = w.begin(2);
  w.byte(EVENT_TIME);
  writeTime(w, event.time);
  if (event.name) {
    w.byte(EVENT_NAME);
    w.string(event.name);
  }
  if (event.attributes) writeAttributes(w, event.attributes, EVENT_ATTRIBUTES);
  count(w, EVENT_DROPPED, event.droppedAttributesCount);
  w.end(at, 2);
}

function writeLink(w: ProtoWriter, link: Link): void {
  w.byte(SPAN_LINK);
  const at = w.begin(1);
  const ctx = link.context;
  w.byte(LINK_TRACE_ID);
  w.hex(ctx.traceId);
  w.byte(LINK_SPAN_ID);
  w.hex(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.byte(LINK_TRACE_STATE);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, link.attributes, LINK_ATTRIBUTES);
  count(w, LINK_DROPPED, link.droppedAttributesCount);
  w.byte(LINK_FLAGS);
  w.fixed32(flags(ctx, ctx.isRemote));
  w.end(at, 1);
}

function flags(ctx: SpanContext, remote: boolean | undefined): number {
  return (ctx.traceFlags & 0xff) | HAS_IS_REMOTE | (remote ? IS_REMOTE : 0);
}

function count(w: ProtoWriter, tag: number, n: number | undefined): void {
  if (!n) return;
  w.byte(tag);
  w.uint32(n);
}

/**
 * [seconds, nanoseconds] as fixed64 nanoseconds. seconds × 10^9 = (seconds × 5^9) × 2^9, and
 * seconds × 5^9 stays an exact double up to year 2116; beyond it the split falls back to BigInt.
 */
function writeTime(w: ProtoWriter, [seconds, nanos]: HrTime): void {
  const x = seconds * 1953125;
  if (x > Number.MAX_SAFE_INTEGER || seconds < 0) {
    const total = BigInt.asUintN(64, BigInt(Math.trunc(seconds)) * 1_000_000_000n + BigInt(Math.trunc(nanos)));
    return w.fixed64(Number(total & 0xffffffffn), Number(total >> 32n));
  }
  const low = (x % 0x800000) * 512 + nanos;
  w.fixed64(low >>> 0, (Math.floor(x / 0x800000) + Math.floor(low / 0x100000000)) >>> 0);
}

function writeAttributes(w: ProtoWriter, attributes: Attributes, tag: number): void {
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    w.byte(tag);
    writeKeyValue(w, key, attributes[key]);
  }
}

/** Keys encoded at most (keys recur on every span; a flood of distinct ones clears it). */
const MAX_ENCODED_KEYS = 1024;
/** Longer keys are written each time. */
const MAX_ENCODED_KEY_LENGTH = 128;
/** A KeyValue's bytes up to its value, by key: the key field (tag, length, UTF-8), then the value's tag. */
const encodedKeys = new Map<string, Uint8Array>();

/** A KeyValue's key field and its value's tag. */
function writeKeyFields(w: ProtoWriter, key: string): void {
  w.byte(KV_KEY);
  w.string(key);
  w.byte(KV_VALUE);
}

function keyFields(key: string): Uint8Array | undefined {
  const known = encodedKeys.get(key);
  if (known !== undefined || key.length > MAX_ENCODED_KEY_LENGTH) return known;
  const w = new ProtoWriter(4 * key.length + 8);
  writeKeyFields(w, key);
  const bytes = w.take();
  if (encodedKeys.size >= MAX_ENCODED_KEYS) encodedKeys.clear();
  encodedKeys.set(key, bytes);
  return bytes;
}

/** A KeyValue message body, length first. */
function writeKeyValue(w: ProtoWriter, key: string, value: unknown): void {
  const any = guessSize(value);
  const reserve = varintSize(2 + varintSize(key.length) + key.length + varintSize(any) + any);
  const at = w.begin(reserve);
  const fields = keyFields(key);
  if (fields !== undefined) w.raw(fields);
  else writeKeyFields(w, key);
  writeAnyValue(w, value);
  w.end(at, reserve);
}

/** An AnyValue message, length first; a value of no OTLP type is an empty one. */
function writeAnyValue(w: ProtoWriter, value: unknown): void {
  const reserve = varintSize(guessSize(value));
  const at = w.begin(reserve);
  switch (typeof value) {
    case "string":
      w.byte(ANY_STRING);
      w.string(value);
      break;
    case "boolean":
      w.byte(ANY_BOOL);
      w.byte(value ? 1 : 0);
      break;
    case "number":
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX) {
        w.byte(ANY_INT);
        w.int64(value);
      } else {
        w.byte(ANY_DOUBLE);
        w.double(value);
      }
      break;
    case "object":
      if (value === null) break;
      if (value instanceof Uint8Array) {
        w.byte(ANY_BYTES);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.byte(ANY_ARRAY);
        const listAt = w.begin(2);
        for (const item of value) {
          w.byte(LIST_ITEM);
          writeAnyValue(w, item);
        }
        w.end(listAt, 2);
      } else {
        w.byte(ANY_KVLIST);
        const listAt = w.begin(2);
        const record = value as Record<string, unknown>;
        for (const key in record) {
          if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
          w.byte(LIST_ITEM);
          writeKeyValue(w, key, record[key]);
        }
        w.end(listAt, 2);
      }
      break;
  }
  w.end(at, reserve);
}

/** Encoded size of an AnyValue's body, a guess for its length prefix (exact for ASCII strings and scalars). */
function guessSize(value: unknown): number {
  if (typeof value === "string") return 1 + varintSize(value.length) + value.length;
  if (typeof value === "object" && value !== null) return 200;
  return 11;
}
