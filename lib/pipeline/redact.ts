import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { Keys } from "../wire/keys.js";
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
}

/** Attributes the SDK itself relies on: never passed through the mask. */
const STRUCTURAL = new Set<string>([Keys.spanKind, Keys.updateId]);

function asAttribute(value: unknown): AttributeValue {
  if (value === undefined || value === null) return undefined;
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean") return value;
  return safeSerialize(value);
}

/** The in-place rewrite of a span's (or event's) attributes, or undefined when there is nothing to do. */
export function redactor(options: RedactOptions): ((attributes: Attributes) => void) | undefined {
  const { mask, recordInputOutput } = options;
  if (!mask && recordInputOutput) return undefined;
  return (attributes) => {
    if (!recordInputOutput) {
      delete attributes[Keys.input];
      delete attributes[Keys.output];
    }
    if (mask) applyMask(attributes, mask);
  };
}

function applyMask(attributes: Attributes, mask: Mask): void {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || STRUCTURAL.has(key)) continue;
    let masked: AttributeValue;
    try {
      masked = asAttribute(mask(value, key));
    } catch {
      masked = undefined; // a failing mask must not leak the value it was meant to hide
    }
    if (masked === undefined) delete attributes[key];
    else attributes[key] = masked;
  }
}
