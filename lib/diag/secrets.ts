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

/** Registers a credential to scrub from now on; ignored when not a string of at least 8 characters. */
export function addSecret(value: unknown): void {
  if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  if (secrets.size >= MAX_SECRETS) secrets.delete(secrets.values().next().value!);
  secrets.add(value);
  // longest first: a key that contains another is replaced whole
  list = [...secrets].sort((a, b) => b.length - a.length);
}

/** Whether any credential is registered (the scrub can be skipped otherwise). */
export function hasSecrets(): boolean {
  return list.length > 0;
}

/** `text` with every registered credential replaced. Returns `text` itself when nothing matched. */
export function scrub(text: string): string {
  let out = text;
  for (let i = 0; i < list.length; i++) {
    const secret = list[i];
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** `user:password@` (or `token@`) in a URL, wherever it appears in a message. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** A message with URL credentials and registered secrets removed: what the SDK may log. */
export function sanitizeMessage(message: string): string {
  return scrub(message.replace(URL_CREDENTIALS, `$1${REDACTED}@`));
}
