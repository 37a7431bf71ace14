import type { Context, Span, SpanOptions } from "@opentelemetry/api";
import type { Recorder } from "../context/recorder.js";
import { Keys, type SpanKindName } from "../wire/keys.js";
import { setOwnAttribute } from "./own-attributes.js";

/**
 * Starts a span of an observed call: the `@observe`/`observe(fn)` span, both sides of a linked
 * trace, a generator's item spans. The one place their common attributes are written: set after
 * the start rather than passed to it, as the SDK validates and copies start attributes twice.
 * `options` carries what only the start can take (root, links, start time, the caller's own
 * attributes); a `kind` of undefined writes none.
 */
export function startObservedSpan(
  recorder: Recorder,
  name: string,
  kind: SpanKindName | undefined,
  parent: Context,
  options?: SpanOptions,
): Span {
  const span = recorder.otelTracer.startSpan(name, options, parent);
  if (kind !== undefined) setOwnAttribute(span, recorder, Keys.spanKind, kind);
  return span;
}
