import type { Context } from "@opentelemetry/api";

/**
 * Finds the context of a framework's model-call span in progress where a provider call starts
 * (the framework keeps its own notion of the current span, not OpenTelemetry's), or undefined.
 */
export type ModelCallLookup = () => Context | undefined;

const lookups: ModelCallLookup[] = [];

/** Registers `lookup` (once): how an integration tells which of its model-call spans a provider call runs in. */
export function registerModelCallLookup(lookup: ModelCallLookup): void {
  if (!lookups.includes(lookup)) lookups.push(lookup);
}

/**
 * The context a wrapped client's call starts in when it runs inside a framework's model-call
 * span (so that the call nests under it and is known as the same request), else undefined.
 * Never throws: a failing lookup counts as none.
 */
export function frameworkModelCall(): Context | undefined {
  for (const lookup of lookups) {
    try {
      const ctx = lookup();
      if (ctx) return ctx;
    } catch {
      // a framework's broken state never fails the provider call
    }
  }
  return undefined;
}
