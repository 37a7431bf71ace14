import type { Attributes, AttributeValue, Span } from "@opentelemetry/api";
import type { Recorder } from "../context/recorder.js";

/** Sets one attribute whose value the SDK built itself: a string, a finite number, a boolean or an array of strings. */
export type AttributeWriter = (key: string, value: AttributeValue) => void;

/**
 * The attributes record to write the SDK's own attributes into on `span`, a span `tracer` started:
 * on a recording span of the OpenTelemetry SDK, with no attribute limit configured
 * ({@link Recorder.unlimitedAttributes}), its public `attributes` record. The SDK's `setAttribute`
 * (an options object and a fresh `WeakSet` per call to check the value, and the default limits: no
 * length cap, 128 attributes, which a span of the SDK's own stays well under) could only confirm
 * such a value, and the export step caps and scrubs these values like any other. Undefined for
 * any other span, which goes through `setAttribute`, with its checks.
 */
function liveAttributes(span: Span, recorder: Recorder): Attributes | undefined {
  const live = recorder.unlimitedAttributes && span.isRecording() ? (span as { attributes?: unknown }).attributes : undefined;
  return typeof live === "object" && live !== null ? (live as Attributes) : undefined;
}

/** How to set the attributes the SDK builds itself on `span`, a span `tracer` started (see {@link liveAttributes}). */
export function attributeWriter(span: Span, recorder: Recorder): AttributeWriter {
  const attributes = liveAttributes(span, recorder);
  if (attributes !== undefined) {
    return (key, value) => {
      attributes[key] = value;
    };
  }
  return (key, value) => {
    span.setAttribute(key, value);
  };
}

/** Sets one attribute the SDK builds itself on `span`, a span `tracer` started (see {@link liveAttributes}). */
export function setOwnAttribute(span: Span, recorder: Recorder, key: string, value: AttributeValue): void {
  const attributes = liveAttributes(span, recorder);
  if (attributes !== undefined) attributes[key] = value;
  else span.setAttribute(key, value);
}
