import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { Keys } from "../observing/keys.js";
import { safeSerialize } from "../serialize/index.js";

/**
 * Rewrites an attribute value before export; return `undefined` to drop it. Inputs and outputs
 * arrive as their serialized JSON text.
 */
export type Mask = (value: AttributeValue, key: string) => unknown;

/** Privacy settings applied to every span's attributes just before export. */
export interface RedactOptions {
  mask?: Mask;
  /** False: no `judgment.input` / `judgment.output` leaves the process. */
  recordInputOutput: boolean;
  /** A credential that must never leave in a span, even if user code records it. */
  secret?: string;
}

const REDACTED = "[REDACTED]";

/** Attributes the SDK itself relies on: never passed through the mask. */
const STRUCTURAL = new Set<string>([Keys.spanKind, Keys.updateId]);

function asAttribute(value: unknown): AttributeValue | undefined {
  if (value === undefined || value === null) return undefined;
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean") return value as AttributeValue;
  return safeSerialize(value);
}

/** Replaces every occurrence of `secret` in the string values of `attributes`. */
function scrub(attributes: Attributes, secret: string): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === "string") {
      if (value.includes(secret)) attributes[key] = value.split(secret).join(REDACTED);
    } else if (Array.isArray(value) && value.some((v) => typeof v === "string" && v.includes(secret))) {
      attributes[key] = value.map((v) => (typeof v === "string" ? v.split(secret).join(REDACTED) : v)) as AttributeValue;
    }
  }
}

/** The in-place rewrite of a span's (or event's) attributes, or undefined when there is nothing to do. */
export function redactor(options: RedactOptions): ((attributes: Attributes) => void) | undefined {
  const { mask, recordInputOutput } = options;
  // Too short a "secret" would redact ordinary text; real keys are long.
  const secret = options.secret && options.secret.length >= 8 ? options.secret : undefined;
  if (!mask && recordInputOutput && !secret) return undefined;
  return (attributes) => {
    if (!recordInputOutput) {
      delete attributes[Keys.input];
      delete attributes[Keys.output];
    }
    if (mask) applyMask(attributes, mask);
    if (secret) scrub(attributes, secret);
  };
}

function applyMask(attributes: Attributes, mask: Mask): void {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || STRUCTURAL.has(key)) continue;
    let masked: AttributeValue | undefined;
    try {
      masked = asAttribute(mask(value, key));
    } catch {
      masked = undefined; // a failing mask must not leak the value it was meant to hide
    }
    if (masked === undefined) delete attributes[key];
    else attributes[key] = masked;
  }
}
