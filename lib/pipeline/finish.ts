import { Buffer } from "node:buffer";
import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "../otel/sdk.js";
import { hasSecrets, scrub, scrubRecurring } from "../diag/secrets.js";
import { capString } from "../serialize/index.js";
import { escapedPrefix } from "../serialize/utf8.js";

/** A request body this large is still accepted by the platform with room to spare (it refuses 10 MB). */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** One span at most, all its strings together: half a request, so any span fits one. */
const MAX_SPAN_BYTES = 2 * 1024 * 1024;
/** Span names, event names and attribute keys at most, in UTF-8 bytes. */
const MAX_NAME_BYTES = 1024;

/** Bytes a span costs on the wire beyond its strings: ids, times, kind, status, field tags. */
const SPAN_OVERHEAD = 128;
/** Per event, per link, per attribute: their tags and lengths. */
const EVENT_OVERHEAD = 32;
const LINK_OVERHEAD = 64;
const ATTRIBUTE_OVERHEAD = 16;
/** Name of a span or event that was given something other than a string. */
const UNNAMED = "unnamed";

/** Rewrites attributes before export (mask, no inputs/outputs). */
export type Redact = (attributes: Attributes) => void;

/** What {@link finishSpan} enforces on every string value (names and keys have their own cap). */
export interface StringRules {
  /** Cap in UTF-8 bytes of one value, with a visible truncation marker. */
  maxBytes: number;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** UTF-8 bytes of `s`, exact for long strings and an upper bound (3 per code unit) for short ones. */
function sizeOf(s: string): number {
  return s.length <= 1024 ? s.length * 3 : Buffer.byteLength(s);
}

/** A value with every registered secret replaced and the value cap applied. */
function finishValue(value: string, maxBytes: number): string {
  return capString(hasSecrets() ? scrub(value) : value, maxBytes);
}

/**
 * A name or key: secrets replaced, then cut to {@link MAX_NAME_BYTES} as plain text with a
 * visible marker (it is not JSON, unlike a capped value). Not a string: {@link UNNAMED}.
 */
export function finishName(name: unknown): string {
  if (typeof name !== "string") return UNNAMED;
  const clean = hasSecrets() ? scrubRecurring(name) : name;
  if (clean.length * 3 <= MAX_NAME_BYTES) return clean;
  const bytes = Buffer.byteLength(clean);
  if (bytes <= MAX_NAME_BYTES) return clean;
  const widest = Buffer.byteLength(`…[truncated ${bytes} bytes]`);
  const kept = escapedPrefix(clean, MAX_NAME_BYTES - widest);
  return `${clean.slice(0, kept.end)}…[truncated ${bytes - kept.bytes} bytes]`;
}

/**
 * One pass over `attributes` (also inside arrays): keys capped and scrubbed like names, values
 * scrubbed and capped — values set by hand bypass the serializer's cap. Returns an estimate (an
 * upper bound) of their encoded size.
 */
function finishStrings(attributes: Attributes, maxBytes: number): number {
  let size = 0;
  let renamed: Array<[string, string]> | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    const name = key.length * 3 > MAX_NAME_BYTES || hasSecrets() ? finishName(key) : key;
    if (name !== key) (renamed ??= []).push([key, name]);
    size += ATTRIBUTE_OVERHEAD + sizeOf(name);
    if (typeof value === "string") {
      const done = finishValue(value, maxBytes);
      if (done !== value) attributes[key] = done;
      size += sizeOf(done);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        size += ATTRIBUTE_OVERHEAD;
        if (typeof item !== "string") continue;
        const done = finishValue(item, maxBytes);
        if (done !== item) (value as unknown[])[i] = done;
        size += sizeOf(done);
      }
    } else {
      size += ATTRIBUTE_OVERHEAD;
    }
  }
  if (renamed) {
    for (const [from, to] of renamed) {
      attributes[to] = attributes[from];
      delete attributes[from];
    }
  }
  return size;
}

/**
 * Readies an ended span (or a snapshot) for export, in place: a name or event name that is not
 * a string repaired, names and keys capped and scrubbed, the privacy rewrite, then the cap and
 * scrub of its attributes, its events' (an exception message too) and its status message; a
 * span still over {@link MAX_SPAN_BYTES} has its largest values trimmed. Returns an estimate (an
 * upper bound) of its encoded size.
 */
export function finishSpan(span: ReadableSpan, rules: StringRules, redact: Redact | undefined): number {
  const writable = span as Writable<ReadableSpan>;
  const name = finishName(span.name);
  if (name !== span.name) writable.name = name;
  let size = SPAN_OVERHEAD + sizeOf(name) + finishAttributes(span.attributes, rules, redact);
  const { events, links } = span;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Writable<TimedEvent>;
    const eventName = finishName(event.name);
    if (eventName !== event.name) event.name = eventName;
    size += EVENT_OVERHEAD + sizeOf(eventName);
    if (event.attributes) size += finishAttributes(event.attributes, rules, redact);
  }
  for (let i = 0; i < links.length; i++) {
    size += LINK_OVERHEAD;
    const attributes = links[i].attributes;
    if (attributes) size += finishStrings(attributes, rules.maxBytes);
  }
  const status = span.status as { message?: unknown };
  if (status.message !== undefined) {
    if (typeof status.message !== "string") status.message = undefined;
    else {
      const holder: Attributes = { "otel.status_description": status.message };
      size += finishAttributes(holder, rules, redact);
      status.message = holder["otel.status_description"];
    }
  }
  return size > MAX_SPAN_BYTES ? trimLargest(span, size) : size;
}

function finishAttributes(attributes: Attributes, rules: StringRules, redact: Redact | undefined): number {
  redact?.(attributes);
  return finishStrings(attributes, rules.maxBytes);
}

/** One string value of a span, where it sits, and its exact size. */
interface Slot {
  holder: Attributes | unknown[];
  key: string | number;
  value: string;
  bytes: number;
}

function collect(attributes: Attributes | undefined, slots: Slot[]): void {
  if (!attributes) return;
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === "string") slots.push({ holder: attributes, key, value, bytes: Buffer.byteLength(value) });
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === "string") slots.push({ holder: value, key: i, value: item, bytes: Buffer.byteLength(item) });
      }
    }
  }
}

/**
 * Brings a span over {@link MAX_SPAN_BYTES} under it by cutting its largest string values — of
 * the span and its events — down to one common length (each keeps its beginning and a
 * truncation marker); smaller values stay whole. Returns the new size estimate. The rare path:
 * sizes here are exact.
 */
function trimLargest(span: ReadableSpan, estimate: number): number {
  const slots: Slot[] = [];
  collect(span.attributes, slots);
  for (const event of span.events) collect(event.attributes, slots);
  let strings = 0;
  for (const slot of slots) strings += slot.bytes;
  // What is not a value (names, keys, overheads) stays; the values share the rest.
  const fixed = Math.max(0, estimate - strings);
  const allowance = MAX_SPAN_BYTES - Math.min(fixed, MAX_SPAN_BYTES / 2);
  slots.sort((a, b) => b.bytes - a.bytes);
  // The level L with sum(min(bytes, L)) = allowance: values above L are cut to L.
  let rest = strings;
  let level = 0;
  for (let k = 0; k < slots.length; k++) {
    rest -= slots[k].bytes;
    const candidate = (allowance - rest) / (k + 1);
    if (k + 1 === slots.length || candidate >= slots[k + 1].bytes) {
      level = Math.floor(candidate);
      break;
    }
  }
  let size = fixed;
  for (const slot of slots) {
    if (slot.bytes > level) {
      const cut = capString(slot.value, level);
      (slot.holder as Record<string | number, unknown>)[slot.key] = cut;
      size += Buffer.byteLength(cut);
    } else {
      size += slot.bytes;
    }
  }
  return size;
}
