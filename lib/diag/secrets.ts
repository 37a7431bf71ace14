/**
 * Credentials this process knows (the Judgment API key, wrapped LLM clients' keys) and the one
 * rule that keeps them out of everything the SDK exports or logs: each occurrence becomes
 * {@link REDACTED}.
 */

/** What a credential is replaced with. */
const REDACTED = "[REDACTED]";

/** Shorter values would redact ordinary text; real keys are far longer. */
const MIN_SECRET_LENGTH = 8;
/** Keys held at most (a process wrapping a new client per request must not grow this forever). */
const MAX_SECRETS = 64;

const secrets = new Set<string>();
let list: string[] = [];
/** Length of the shortest registered credential: shorter texts cannot hold one. */
let shortest = Infinity;

/**
 * Recurring texts (attribute keys, span names) already seen to hold no credential, so that each
 * is searched once rather than on every span. Cleared whenever a credential is added; bounded.
 */
const clean = new Set<string>();
const MAX_CLEAN = 1024;
const MAX_CLEAN_LENGTH = 256;

/** Registers a credential to scrub from now on; ignored when not a string of at least 8 characters. */
export function addSecret(value: unknown): void {
  if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  if (secrets.size >= MAX_SECRETS) secrets.delete(secrets.values().next().value!);
  secrets.add(value);
  // longest first: a key that contains another is replaced whole
  list = [...secrets].sort((a, b) => b.length - a.length);
  shortest = list[list.length - 1].length;
  clean.clear();
}

/** Whether any credential is registered (the scrub can be skipped otherwise). */
export function hasSecrets(): boolean {
  return list.length > 0;
}

/** `text` with every registered credential replaced. Returns `text` itself when nothing matched. */
export function scrub(text: string): string {
  if (text.length < shortest) return text;
  let out = text;
  for (let i = 0; i < list.length; i++) {
    const secret = list[i];
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** {@link scrub} for a text that recurs (a key, a name): each distinct clean one is searched once. */
export function scrubRecurring(text: string): string {
  if (clean.has(text)) return text;
  const out = scrub(text);
  if (out === text && text.length <= MAX_CLEAN_LENGTH) {
    if (clean.size >= MAX_CLEAN) clean.clear();
    clean.add(text);
  }
  return out;
}

/** `user:password@` (or `token@`) in a URL, wherever it appears in a message. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** A message with URL credentials and registered secrets removed: what the SDK may log. */
export function sanitizeMessage(message: string): string {
  return scrub(message.replace(URL_CREDENTIALS, `$1${REDACTED}@`));
}
