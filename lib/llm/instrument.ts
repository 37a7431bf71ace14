import { tracerIn } from "../context/active-tracer.js";
import { state } from "../context/global-state.js";
import { tracedMethod } from "./call.js";
import type { Integration } from "./integration.js";
import { at } from "./read.js";

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Methods already installed — by this build or the other (CJS/ESM), or another copy of the
 * package — so that instrumenting twice never traces a call twice.
 */
const installed = state.instrumented;

/**
 * Replaces each traced method of `client` by its traced version, on the object that owns it
 * (an own property shadowing the class's method), so the client instance stays the same.
 * Returns how many methods were instrumented.
 */
export function instrument(client: object, integration: Integration): number {
  let count = 0;
  for (const op of integration.operations) {
    const owner = at(client, op.resource);
    if (owner === null || typeof owner !== "object") continue;
    const original = (owner as Record<string, unknown>)[op.method];
    if (typeof original !== "function" || installed.has(original)) continue;
    const traced = tracedMethod(original as Method, integration, op, client, tracerIn);
    installed.add(traced);
    const enumerable = Object.getOwnPropertyDescriptor(owner, op.method)?.enumerable ?? false;
    Object.defineProperty(owner, op.method, { value: traced, writable: true, configurable: true, enumerable });
    count++;
  }
  return count;
}
