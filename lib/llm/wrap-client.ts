import { log } from "../diag/log.js";
import { addSecret } from "../diag/secrets.js";
import { instrument } from "./instrument.js";
import type { Integration } from "./integration.js";
import { anthropic } from "./providers/anthropic.js";
import { google } from "./providers/google.js";
import { openai } from "./providers/openai.js";
import { together } from "./providers/together.js";

const INTEGRATIONS: readonly Integration[] = [openai, anthropic, together, google];

// Shared through the global symbol registry so that the CommonJS and ESM copies of this package
// agree on which clients are wrapped.
const WRAPPED = Symbol.for("judgeval.llm.wrapped");

function classNames(client: object): string[] {
  const names: string[] = [];
  for (
    let proto = Object.getPrototypeOf(client) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string") names.push(name);
  }
  return names;
}

/** The integration for `client`: by class name first, then by shape. */
function integrationFor(client: object): Integration | undefined {
  const names = classNames(client);
  return INTEGRATIONS.find((i) => i.classNames.some((n) => names.includes(n))) ?? INTEGRATIONS.find((i) => i.hasShape(client));
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return typeof value;
  try {
    return classNames(value)[0] ?? "object";
  } catch {
    return "object";
  }
}

/** Instruments an LLM client in place (see the public `wrap` of tracer/, which loads this module on first use). */
export function wrap<T>(client: T): T {
  if (client === null || typeof client !== "object") {
    log.warn(`wrap: expected an LLM client object, got ${describe(client)}; returned untouched.`);
    return client;
  }
  let integration: Integration | undefined;
  try {
    if ((client as Record<symbol, unknown>)[WRAPPED]) return client;
    integration = integrationFor(client);
  } catch {
    log.warn("wrap: the client could not be read (a getter or Proxy trap threw); returned untouched.");
    return client;
  }
  if (!integration) {
    log.warn(
      `wrap: ${describe(client)} is not a supported LLM client (openai, @anthropic-ai/sdk, together-ai, @google/genai); returned untouched.`,
    );
    return client;
  }
  try {
    // The client's own key (each supported SDK keeps it as `apiKey`) is scrubbed from spans: a
    // provider may echo it, e.g. in a 401 body that becomes the span's error.
    addSecret((client as { apiKey?: unknown }).apiKey);
    instrument(client, integration);
    Object.defineProperty(client, WRAPPED, { value: integration.provider, configurable: true });
  } catch (err) {
    log.warn(`wrap: could not instrument the ${integration.provider} client (${errorText(err)}); it is used untraced.`);
  }
  return client;
}

/** What an error says, without trusting it. */
function errorText(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return "an unreadable error";
  }
}
