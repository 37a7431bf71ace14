import type { Baggage } from "@opentelemetry/api";
import { Keys } from "../wire/keys.js";

/**
 * The trust boundary for W3C baggage. Baggage arrives from whoever sent the request, so only
 * the propagated identity keys and the custom keys the app declared (`propagatingKeys`) become
 * span attributes, never more than a few short entries. Forwarding is the app's business: its
 * own keys travel on as W3C Baggage says, and of the `judgment.*` keys only the identity keys
 * that would become attributes.
 */

/** The keys that are ours: none comes in from baggage but the identity keys. */
const RESERVED_PREFIX = "judgment.";
/** The identity keys every service propagates (docs/wire.md, "Span attributes"). */
const IDENTITY_KEYS: readonly string[] = [Keys.sessionId, Keys.customerId, Keys.customerUserId];

/** Entries taken from one baggage at most. */
const MAX_TRUSTED_ENTRIES = 16;
/** Longest value taken from baggage onto a span. */
const MAX_TRUSTED_VALUE_LENGTH = 256;
/** Longest custom key an app may declare. */
const MAX_DECLARED_KEY_LENGTH = 128;

const trusted = new Set<string>(IDENTITY_KEYS);

/** Why `key` cannot be declared as a propagating key, or undefined when it can. */
export function declaredKeyProblem(key: unknown): string | undefined {
  if (typeof key !== "string" || key === "") return "must be non-empty strings";
  if (key.length > MAX_DECLARED_KEY_LENGTH) return `must be at most ${MAX_DECLARED_KEY_LENGTH} characters`;
  if (key.startsWith(RESERVED_PREFIX) && !IDENTITY_KEYS.includes(key))
    return `must not start with "judgment." (reserved): ${JSON.stringify(key)}`;
  return undefined;
}

/** Adds custom keys the app propagates between its services (checked at init with {@link declaredKeyProblem}). */
export function declarePropagatingKeys(keys: readonly string[]): void {
  for (const key of keys) if (declaredKeyProblem(key) === undefined) trusted.add(key);
}

/** Longer values are not ids: they are dropped rather than cut into a wrong id. */
function isTrustedValue(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_TRUSTED_VALUE_LENGTH;
}

/**
 * `baggage` as it may travel on: every entry of the app's own keys, with properties; of the
 * `judgment.*` keys only the identity keys with a value that would become an attribute.
 * Never throws (a misbehaving baggage object of another implementation travels as it is).
 */
export function forwardableBaggage(baggage: Baggage): Baggage {
  let out = baggage;
  try {
    for (const [key, entry] of baggage.getAllEntries()) {
      if (key.startsWith(RESERVED_PREFIX) && !(IDENTITY_KEYS.includes(key) && isTrustedValue(entry.value))) out = out.removeEntry(key);
    }
  } catch {
    // left as it was
  }
  return out;
}

/**
 * The entries of `baggage` that cross the boundary, in its order, at most
 * {@link MAX_TRUSTED_ENTRIES}; each value a string of at most {@link MAX_TRUSTED_VALUE_LENGTH}
 * characters. Empty when `baggage` is absent. Never throws.
 */
export function trustedEntries(baggage: Baggage | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (baggage === undefined) return out;
  try {
    for (const [key, entry] of baggage.getAllEntries()) {
      if (!trusted.has(key) || !isTrustedValue(entry.value)) continue;
      out.push([key, entry.value]);
      if (out.length === MAX_TRUSTED_ENTRIES) break;
    }
  } catch {
    // a baggage object of another implementation that misbehaves carries nothing
  }
  return out;
}
