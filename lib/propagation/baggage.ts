import { baggageEntryMetadataFromString, propagation, type Baggage, type BaggageEntry } from "@opentelemetry/api";

/**
 * W3C Baggage limits: every list member up to 64 members and 8192 bytes (separators included)
 * must pass, and what cannot pass is dropped by whole members. We allow 180 members (as
 * OpenTelemetry does) within the 8192 bytes; unlike OpenTelemetry, one member may use all 8192.
 */
const MAX_BAGGAGE_BYTES = 8192;
const MAX_BAGGAGE_MEMBERS = 180;

/** RFC 7230 token: a key of a member or of a property. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A value as the wire carries it: baggage-octets, where every `%` starts an escape of two hex digits. */
const WIRE_VALUE = /^(?:[\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]|%[0-9A-Fa-f]{2})*$/;
/** What a written value leaves unescaped: RFC 3986's unreserved characters (the rest is `%XX`). */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
/** Optional whitespace around members, keys, values and properties. */
const OWS = /^[ \t]+|[ \t]+$/g;

// Malformed UTF-8 decodes to U+FFFD, as the spec asks; lone surrogates encode as U+FFFD.
const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

const trim = (text: string): string => text.replace(OWS, "");

/** The text of a {@link WIRE_VALUE}: escapes read as UTF-8 bytes. */
function decode(wire: string): string {
  if (!wire.includes("%")) return wire;
  const bytes: number[] = [];
  for (let i = 0; i < wire.length; i++) {
    if (wire[i] !== "%") bytes.push(wire.charCodeAt(i));
    else {
      bytes.push(parseInt(wire.slice(i + 1, i + 3), 16));
      i += 2;
    }
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}

/** `text` as a wire value: its UTF-8 bytes, each outside {@link UNRESERVED} written as `%XX`. */
function encode(text: string): string {
  if (UNRESERVED.test(text)) return text;
  let out = "";
  for (const byte of utf8Encoder.encode(text)) {
    const char = String.fromCharCode(byte);
    out += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The properties of a member (`;`-separated `key` or `key=value`), written back in one canonical
 * form: whitespace trimmed, values re-encoded. Empty and malformed properties are left out.
 */
function canonicalProperties(parts: readonly string[]): string {
  const kept: string[] = [];
  for (const part of parts) {
    const property = trim(part);
    const eq = property.indexOf("=");
    if (eq < 0) {
      if (TOKEN.test(property)) kept.push(property);
      continue;
    }
    const key = trim(property.slice(0, eq));
    const wire = trim(property.slice(eq + 1));
    if (TOKEN.test(key) && WIRE_VALUE.test(wire)) kept.push(`${key}=${encode(decode(wire))}`);
  }
  return kept.join(";");
}

/** One `key=value;properties` member, or undefined when its key or value is malformed. */
function parseMember(member: string): [string, BaggageEntry] | undefined {
  const parts = member.split(";");
  const pair = parts[0];
  const eq = pair.indexOf("=");
  if (eq < 0) return undefined;
  const key = trim(pair.slice(0, eq));
  const wire = trim(pair.slice(eq + 1));
  if (!TOKEN.test(key) || !WIRE_VALUE.test(wire)) return undefined;
  const entry: BaggageEntry = { value: decode(wire) };
  const properties = canonicalProperties(parts.slice(1));
  if (properties !== "") entry.metadata = baggageEntryMetadataFromString(properties);
  return [key, entry];
}

/**
 * Parses a (combined) `baggage` header; one over {@link MAX_BAGGAGE_BYTES} is ignored whole.
 * Malformed members are skipped; members past {@link MAX_BAGGAGE_MEMBERS} are dropped whole.
 * Values are percent-decoded; properties are kept (see {@link canonicalProperties}). A repeated
 * key keeps its last value. Undefined when no member is left.
 */
export function parseBaggage(header: string): Baggage | undefined {
  if (header.length > MAX_BAGGAGE_BYTES) return undefined;
  const entries: Record<string, BaggageEntry> = {};
  let count = 0;
  for (const raw of header.split(",")) {
    if (count >= MAX_BAGGAGE_MEMBERS) break;
    const parsed = parseMember(raw);
    if (!parsed) continue;
    if (!(parsed[0] in entries)) count++;
    entries[parsed[0]] = parsed[1];
  }
  return count > 0 ? propagation.createBaggage(entries) : undefined;
}

/** One member on the wire, or undefined when the key is not a token or the value not a string. */
function formatMember(key: string, entry: BaggageEntry): string | undefined {
  if (!TOKEN.test(key) || typeof entry.value !== "string") return undefined;
  const metadata = entry.metadata === undefined ? "" : canonicalProperties(entry.metadata.toString().split(";"));
  return `${key}=${encode(entry.value)}${metadata === "" ? "" : `;${metadata}`}`;
}

/**
 * The `baggage` header for `baggage`: members in order while they fit the limits; one that would
 * exceed them is left out whole (and later, smaller ones may still fit). Empty when none fits.
 * Everything written is ASCII, so its length is its size in bytes.
 */
export function serializeBaggage(baggage: Baggage): string {
  let header = "";
  let count = 0;
  for (const [key, entry] of baggage.getAllEntries()) {
    if (count >= MAX_BAGGAGE_MEMBERS) break;
    const member = formatMember(key, entry);
    if (member === undefined) continue;
    const next = header === "" ? member : `${header},${member}`;
    if (next.length > MAX_BAGGAGE_BYTES) continue;
    header = next;
    count++;
  }
  return header;
}
