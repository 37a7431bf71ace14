import type { Attributes } from "@opentelemetry/api";
import type { TimedEvent } from "../../otel/sdk.js";
import { GenAi, GenAiEvents } from "../../wire/genai-keys.js";

/** A GenAI call's messages read from its span events, as JSON text. */
export interface EventMessages {
  input?: string;
  output?: string;
}

const INPUT_ROLES: Record<string, string> = {
  [GenAiEvents.systemMessage]: "system",
  [GenAiEvents.userMessage]: "user",
  [GenAiEvents.assistantMessage]: "assistant",
  [GenAiEvents.toolMessage]: "tool",
};

/**
 * The input and output messages a GenAI span recorded as span events rather than attributes: the
 * newer conventions' `gen_ai.client.inference.operation.details` (its `gen_ai.input.messages` and
 * `gen_ai.output.messages`), one event per message (`gen_ai.system.message`, `gen_ai.user.message`,
 * `gen_ai.assistant.message`, `gen_ai.tool.message`, `gen_ai.choice`, each with its body as the
 * `gen_ai.event.content` JSON text or as its own attributes), or the older `gen_ai.content.prompt`
 * and `gen_ai.content.completion` (`gen_ai.prompt`, `gen_ai.completion`).
 */
export function eventMessages(events: readonly TimedEvent[]): EventMessages {
  const found: EventMessages = {};
  const inputs: unknown[] = [];
  const choices: unknown[] = [];
  for (const event of events) {
    const attributes = event.attributes ?? {};
    switch (event.name) {
      case GenAiEvents.inferenceDetails:
        found.input ??= jsonText(attributes[GenAi.inputMessages]);
        found.output ??= jsonText(attributes[GenAi.outputMessages]);
        break;
      case GenAiEvents.contentPrompt:
        found.input ??= jsonText(attributes[GenAi.prompt]);
        break;
      case GenAiEvents.contentCompletion:
        found.output ??= jsonText(attributes[GenAi.completion]);
        break;
      case GenAiEvents.choice:
        choices.push(body(attributes));
        break;
      default: {
        const role = INPUT_ROLES[event.name];
        if (role !== undefined) inputs.push(withRole(body(attributes), role));
      }
    }
  }
  if (inputs.length > 0) found.input ??= JSON.stringify(inputs);
  if (choices.length > 0) found.output ??= JSON.stringify(choices.length === 1 ? choices[0] : choices);
  return found;
}

/** A message event's body: its `gen_ai.event.content` parsed, else its attributes but the provider's name. */
function body(attributes: Attributes): unknown {
  const content = attributes[GenAi.eventContent];
  if (typeof content === "string") {
    try {
      return JSON.parse(content);
    } catch {
      return content;
    }
  }
  const rest: Attributes = {};
  for (const key in attributes) if (key !== GenAi.system && key !== GenAi.providerName) rest[key] = attributes[key];
  return rest;
}

function withRole(message: unknown, role: string): unknown {
  if (message === null || typeof message !== "object" || Array.isArray(message)) return { role, content: message };
  return "role" in message ? message : { role, ...message };
}

/** A value for `judgment.input`/`output`: JSON text kept, plain text quoted, anything else serialized. */
function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return JSON.stringify(value);
  try {
    JSON.parse(value);
    return value;
  } catch {
    return JSON.stringify(value);
  }
}
