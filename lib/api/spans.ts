import { context, INVALID_SPAN_CONTEXT, trace, type Attributes, type Span, type Tracer as OtelTracer } from "@opentelemetry/api";
import { activeTracer } from "../context/activeTracer.js";
import { VERSION } from "../wire/version.js";
import { Keys } from "../wire/keys.js";
import { callAndSettle, endSpan } from "./settle.js";
import { entriesOf, isCallable, nameOf, readOptions } from "./arguments.js";

/** Initial attributes of one span taken at most (the SDK keeps 128 by default). */
const MAX_START_ATTRIBUTES = 256;

/** The active tracer's OpenTelemetry tracer; without one, the global (by default no-op) tracer. */
export function getOTELTracer(): OtelTracer {
  return activeTracer()?.otelTracer ?? trace.getTracer("judgeval", VERSION);
}

/** The span active in the current context, if any. */
export function getCurrentSpan(): Span | undefined {
  return trace.getActiveSpan();
}

/**
 * Starts a child of the current span; the caller ends it. Never throws: a name that is not a
 * string is repaired, attributes that are not a record are ignored.
 */
export function startSpan(name: string, attributes?: Attributes): Span {
  try {
    const start: Attributes = { [Keys.spanKind]: "span" };
    if (attributes !== undefined) for (const [key, value] of entriesOf(attributes, MAX_START_ATTRIBUTES)) start[key] = value;
    return getOTELTracer().startSpan(nameOf(name), { attributes: start });
  } catch {
    return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  }
}

/** Runs `fn(span)` with `span` active; records a throw or rejection and ends the span when `fn` settles. */
function runInSpan<R>(span: Span, fn: (span: Span) => R): R {
  const ctx = trace.setSpan(context.active(), span);
  return callAndSettle(() => context.with(ctx, fn, undefined, span), endSpan(span));
}

/** Runs `fn(span)` (sync or async) in a new active child span named `name`; returns what `fn` returns. */
export function span<R>(name: string, fn: (span: Span) => R): R {
  if (!isCallable(fn, "Tracer.span")) return undefined as R;
  return runInSpan(startSpan(name), fn);
}

/**
 * Like {@link span}, with initial attributes: `startAsCurrentSpan(name, fn)` or
 * `startAsCurrentSpan(name, attributes, fn)`.
 */
export function startAsCurrentSpan<R>(name: string, fn: (span: Span) => R): R;
export function startAsCurrentSpan<R>(name: string, attributes: Attributes | undefined, fn: (span: Span) => R): R;
export function startAsCurrentSpan<R>(
  name: string,
  second: Attributes | undefined | ((span: Span) => R),
  third?: (span: Span) => R,
): R {
  const fn = typeof second === "function" ? second : third;
  if (!isCallable(fn, "startAsCurrentSpan")) return undefined as R;
  const attributes = typeof second === "function" ? undefined : second;
  return runInSpan(startSpan(name, attributes), fn);
}

/** Compat: `fn(span)` runs with a new active span that `fn` must end itself. */
export function startActiveSpan<R>(options: { name: string; attributes?: Attributes }, fn: (span: Span) => R): R {
  if (!isCallable(fn, "startActiveSpan")) return undefined as R;
  const given = readOptions(options, ["name", "attributes"]);
  const s = startSpan(given.name as string, given.attributes as Attributes | undefined);
  return context.with(trace.setSpan(context.active(), s), fn, undefined, s);
}
