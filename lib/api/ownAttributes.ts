import type { Attributes, AttributeValue, Span } from "@opentelemetry/api";
import type { Recorder } from "../context/recorder.js";

/** Sets one attribute whose value the SDK built itself: a string, a finite number, a boolean or an array of strings. */
export type AttributeWriter = (key: string, value: AttributeValue) => void;

/**
 * How to set the attributes the SDK builds itself on `span`, a span `tracer` started. On a
 * recording span of the OpenTelemetry SDK, with no attribute limit configured
 * ({@link Recorder.unlimitedAttributes}), straight into its public `attributes` record: the SDK's
 * check of each value (its type, a fresh `WeakSet` per call, and the default limits: no length
 * cap, 128 attributes, which a span of the SDK's own stays well under) could only confirm it,
 * and the export step caps and scrubs these values like any other. Any other span goes through
 * `setAttribute`, with its checks.
 */
export function attributeWriter(span: Span, tracer: Recorder): AttributeWriter {
  const live = tracer.unlimitedAttributes && span.isRecording() ? (span as { attributes?: unknown }).attributes : undefined;
  if (typeof live === "object" && live !== null) {
    const attributes = live as Attributes;
    return (key, value) => {
      attributes[key] = value;
    };
  }
  return (key, value) => {
    span.setAttribute(key, value);
  };
}
