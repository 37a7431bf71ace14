import { baggageEntryMetadataFromString, propagation, type Baggage, type BaggageEntry } from "@opentelemetry/api";

/**
 * W3C Baggage limits: every list member up to 64 members and 8192 bytes (separators included)
 * must pass, and what cannot pass is dropped by whole members. We allow 180 members (as
 * OpenTelemetry does) within the 8192 bytes; unlike OpenTelemetry, one member may use all 8192.
 */
const MAX_BAGGAGE_BYTES = 8192;
const MAX_BAGGAGE_MEMBERS = 180;

/** RFC 7230 token: a baggage key. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Optional whitespace around members, keys, values and properties. */
const OWS = /^[ \t]+|[ \t]+$/g;

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** One `key=value;properties` member, or undefined when it is malformed. */
function parseMember(member: string): [string, BaggageEntry] | undefined {
  const semi = member.indexOf(";");
  const pair = semi < 0 ? member : member.slice(0, semi);
  const eq = pair.indexOf("=");
  if (eq <= 0) return undefined;
  const key = pair.slice(0, eq).replace(OWS, "");
  const value = decode(pair.slice(eq + 1).replace(OWS, ""));
  if (!TOKEN.test(key) || value === undefined) return undefined;
  const entry: BaggageEntry = { value };
  const properties = semi < 0 ? "" : member.slice(semi + 1).replace(OWS, "");
  if (properties !== "") entry.metadata = baggageEntryMetadataFromString(properties);
  return [key, entry];
}

/**
 * Parses a `baggage` header (already bounded to {@link MAX_BAGGAGE_BYTES} by the carrier).
 * Malformed members are skipped; members past {@link MAX_BAGGAGE_MEMBERS} are dropped whole.
 * A repeated key keeps its last value. Undefined when no member is left.
 */
export function parseBaggage(header: string): Baggage | undefined {
  const entries: Record<string, BaggageEntry> = {};
  let count = 0;
  for (const raw of header.split(",")) {
    if (count >= MAX_BAGGAGE_MEMBERS) break;
    const parsed = parseMember(raw.replace(OWS, ""));
    if (!parsed) continue;
    if (!(parsed[0] in entries)) count++;
    entries[parsed[0]] = parsed[1];
  }
  return count > 0 ? propagation.createBaggage(entries) : undefined;
}

/**
 * The `baggage` header for `baggage`: members in order while they fit the limits; one that would
 * exceed them is left out whole (and later, smaller ones may still fit). Empty when none fits.
 */
export function serializeBaggage(baggage: Baggage): string {
  let header = "";
  let count = 0;
  for (const [key, entry] of baggage.getAllEntries()) {
    if (count >= MAX_BAGGAGE_MEMBERS) break;
    if (!TOKEN.test(key)) continue;
    const metadata = entry.metadata?.toString();
    const member = `${key}=${encodeURIComponent(entry.value)}${metadata ? `;${metadata}` : ""}`;
    const next = header === "" ? member : `${header},${member}`;
    if (Buffer.byteLength(next) > MAX_BAGGAGE_BYTES) continue;
    header = next;
    count++;
  }
  return header;
}
