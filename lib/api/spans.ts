import {
  context,
  INVALID_SPAN_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer as OtelTracer,
} from "@opentelemetry/api";
import { activeTracer, tracerIn, withSpan } from "../context/active-tracer.js";
import { VERSION } from "../wire/version.js";
import { Keys } from "../wire/keys.js";
import { callAndSettle, endSpan } from "./settle.js";
import { callbackAndOptions, entriesOf, isCallable, nameOf, readOptions } from "./arguments.js";
import { UnexportedSpan } from "./unexported.js";

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
 * A new child of the current span, and the context with it active (owned by the tracer that made
 * it). Never throws: a name that is not a string is repaired, attributes that are not a record
 * are ignored.
 */
function begin(name: string, attributes: Attributes | undefined, where?: string): { span: Span; ctx: Context } {
  const parent = context.active();
  try {
    const start: Attributes = { [Keys.spanKind]: "span" };
    if (attributes !== undefined) for (const [key, value] of entriesOf(attributes, MAX_START_ATTRIBUTES, where)) start[key] = value;
    const tracer = tracerIn(parent);
    if (tracer !== undefined && !tracer.recording) {
      // export off: nothing would read the attributes; the ids and nesting are what matter
      const span = new UnexportedSpan(trace.getSpan(parent));
      return { span, ctx: withSpan(parent, span, tracer) };
    }
    const otelTracer = tracer?.otelTracer ?? trace.getTracer("judgeval", VERSION);
    const span = otelTracer.startSpan(nameOf(name), { attributes: start }, parent);
    return { span, ctx: tracer ? withSpan(parent, span, tracer) : trace.setSpan(parent, span) };
  } catch {
    const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    return { span, ctx: trace.setSpan(parent, span) };
  }
}

/** Starts a child of the current span; the caller ends it. Never throws. */
export function startSpan(name: string, attributes?: Attributes): Span {
  return begin(name, attributes, "startSpan").span;
}

/** Runs `fn(span)` in `ctx`; records a throw or rejection and ends the span when `fn` settles. */
function runIn<R>({ span, ctx }: { span: Span; ctx: Context }, fn: (span: Span) => R): R {
  return callAndSettle(() => context.with(ctx, fn, undefined, span), endSpan(span));
}

/** Runs `fn(span)` (sync or async) in a new active child span named `name`; returns what `fn` returns. */
export function span<R>(name: string, fn: (span: Span) => R): R {
  if (!isCallable(fn, "Tracer.span")) return undefined as R;
  return runIn(begin(name, undefined), fn);
}

/**
 * Like {@link span}, with initial attributes: `startAsCurrentSpan(name, fn)` or
 * `startAsCurrentSpan(name, attributes, fn)`.
 */
export function startAsCurrentSpan<R>(name: string, fn: (span: Span) => R): R;
export function startAsCurrentSpan<R>(name: string, attributes: Attributes | undefined, fn: (span: Span) => R): R;
export function startAsCurrentSpan<R>(name: string, second: Attributes | undefined | ((span: Span) => R), third?: (span: Span) => R): R {
  const { fn, options } = callbackAndOptions<(span: Span) => R>(second, third, "startAsCurrentSpan");
  if (!isCallable(fn, "startAsCurrentSpan")) return undefined as R;
  return runIn(begin(name, options as Attributes | undefined, "startAsCurrentSpan"), fn);
}

/** Compat: `fn(span)` runs with a new active span that `fn` must end itself. */
export function startActiveSpan<R>(options: { name: string; attributes?: Attributes }, fn: (span: Span) => R): R {
  if (!isCallable(fn, "startActiveSpan")) return undefined as R;
  const given = readOptions(options, ["name", "attributes"], "startActiveSpan");
  const { span: s, ctx } = begin(given.name as string, given.attributes as Attributes | undefined, "startActiveSpan");
  return context.with(ctx, fn, undefined, s);
}
