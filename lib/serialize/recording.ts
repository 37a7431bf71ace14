import { capString } from "./cap.js";
import { primitiveInputJson, primitiveJson } from "./fast-json.js";
import { createSerializer, type Serializer } from "./serializer.js";

/**
 * How one observed function's arguments become its recorded input: worked out once per function
 * (from its parameters), used on every call.
 */
export interface ArgumentNames {
  /** Each parameter's `"name":` JSON key, for writing primitive arguments directly; null when that shortcut does not apply. */
  readonly keys: readonly string[] | null;
  /** The input object (parameter name → argument) the serializer walks otherwise. */
  object(args: ArrayLike<unknown>): unknown;
}

/** Serializes an observed call's arguments for `judgment.input`. */
export type ArgumentsSerializer = (args: ArrayLike<unknown>, names: ArgumentNames) => string;

/** The tracer options that decide how values are recorded. */
export interface RecordingOptions {
  /** The user's serializer, if any: its result is capped; a throw or a non-string falls back to the default one. */
  serializer?: (value: unknown) => unknown;
  /** Cap of one serialized attribute, in UTF-8 bytes. */
  maxBytes: number;
  /** False: inputs and outputs are neither serialized nor exported. */
  recordInputOutput: boolean;
}

/**
 * The recording options compiled into ready functions, so instrumentation calls one of them
 * instead of checking the options on every call.
 */
export interface Recording {
  /** Serializes an observed call's arguments; undefined when inputs and outputs are not recorded. */
  readonly serializeArguments: ArgumentsSerializer | undefined;
  /**
   * Serializes an input or output value (a return value, an LLM request or response, a
   * framework's payload); undefined when inputs and outputs are not recorded.
   */
  readonly serializeInputOutput: Serializer | undefined;
  /** Serializes any other value for an attribute, capped. Never throws. */
  readonly serialize: Serializer;
}

/** Compiles `options` into the functions of {@link Recording}: each choice is made here, once. */
export function compileRecording(options: RecordingOptions): Recording {
  const { maxBytes } = options;
  const serialize = userOrDefault(options.serializer, maxBytes);
  if (!options.recordInputOutput) return { serializeArguments: undefined, serializeInputOutput: undefined, serialize };
  if (options.serializer) {
    // a user's serializer sees every value: no shortcut may write what it would not
    return { serializeArguments: (args, names) => serialize(names.object(args)), serializeInputOutput: serialize, serialize };
  }
  // The default serializer: primitives are written directly, byte-for-byte what it would write.
  return {
    serializeArguments: (args, names) =>
      (names.keys ? primitiveInputJson(names.keys, args, maxBytes) : undefined) ?? serialize(names.object(args)),
    serializeInputOutput: (value) => primitiveJson(value, maxBytes) ?? serialize(value),
    serialize,
  };
}

function userOrDefault(custom: ((value: unknown) => unknown) | undefined, maxBytes: number): Serializer {
  const fallback = createSerializer({ maxBytes });
  if (!custom) return fallback;
  return (value) => {
    try {
      const out = custom(value);
      return typeof out === "string" ? capString(out, maxBytes) : fallback(out);
    } catch {
      return fallback(value);
    }
  };
}
