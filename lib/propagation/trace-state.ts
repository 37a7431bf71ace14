import type { TraceState } from "@opentelemetry/api";

/**
 * W3C `tracestate` by the current grammar (Trace Context level 2): a key is a lowercase letter or
 * digit followed by up to 255 of `a-z 0-9 _ - * / @` (so `tenant@vendor` and `foo@` alike); a value
 * is 1–256 printable ASCII characters other than `,` and `=`, not ending in a space.
 */
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
/** List members a `tracestate` may hold. */
const MAX_TRACESTATE_MEMBERS = 32;
/** Optional whitespace around list members. */
const OWS = /^[ \t]+|[ \t]+$/g;

/** An immutable `tracestate`: members in header order, the most recently set first. */
class W3CTraceState implements TraceState {
  constructor(private readonly members: ReadonlyArray<readonly [string, string]>) {}

  get(key: string): string | undefined {
    for (const [k, v] of this.members) if (k === key) return v;
    return undefined;
  }

  /** A copy with `key` moved to the front; an invalid key or value, or a 33rd member, is refused. */
  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const rest = this.members.filter(([k]) => k !== key);
    const first: readonly [string, string] = [key, value];
    return new W3CTraceState([first, ...rest].slice(0, MAX_TRACESTATE_MEMBERS));
  }

  unset(key: string): TraceState {
    return new W3CTraceState(this.members.filter(([k]) => k !== key));
  }

  serialize(): string {
    return this.members.map(([k, v]) => `${k}=${v}`).join(",");
  }
}

/**
 * Parses a (combined) `tracestate` header. Empty members are skipped; a malformed member, or more
 * than {@link MAX_TRACESTATE_MEMBERS}, discards the whole header (undefined), since a half-read
 * list would tell the next vendor something its sender never said. A repeated key keeps its
 * first (leftmost, most recent) value. Undefined too when nothing is left.
 */
export function parseTraceState(header: string): TraceState | undefined {
  const members: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const raw of header.split(",")) {
    const member = raw.replace(OWS, "");
    if (member === "") continue;
    const eq = member.indexOf("=");
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value)) return undefined;
    if (seen.has(key)) continue;
    seen.add(key);
    if (members.push([key, value]) > MAX_TRACESTATE_MEMBERS) return undefined;
  }
  return members.length > 0 ? new W3CTraceState(members) : undefined;
}
