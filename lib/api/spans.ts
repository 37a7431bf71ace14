import { context, trace, type Attributes, type Context, type Span, type Tracer as OtelTracer } from "@opentelemetry/api";
import { activeTracer, tracerIn, withSpan } from "../context/activeTracer.js";
import { VERSION } from "../wire/version.js";
import { Keys } from "../wire/keys.js";
import { callAndSettle, endSpan } from "./settle.js";

/** The active tracer's OpenTelemetry tracer; without one, the global (by default no-op) tracer. */
export function getOTELTracer(): OtelTracer {
  return activeTracer()?.otelTracer ?? trace.getTracer("judgeval", VERSION);
}

/** The span active in the current context, if any. */
export function getCurrentSpan(): Span | undefined {
  return trace.getActiveSpan();
}

/** A new child of the current span, and the context with it active (owned by the tracer that made it). */
function begin(name: string, attributes: Attributes | undefined): { span: Span; ctx: Context } {
  const parent = context.active();
  const tracer = tracerIn(parent);
  const options = { attributes: { [Keys.spanKind]: "span", ...attributes } };
  if (tracer === undefined) {
    const span = trace.getTracer("judgeval", VERSION).startSpan(name, options, parent);
    return { span, ctx: trace.setSpan(parent, span) };
  }
  const span = tracer.otelTracer.startSpan(name, options, parent);
  return { span, ctx: withSpan(parent, span, tracer) };
}

/** Starts a child of the current span; the caller ends it. */
export function startSpan(name: string, attributes?: Attributes): Span {
  return begin(name, attributes).span;
}

/** Runs `fn(span)` in `ctx`; records a throw or rejection and ends the span when `fn` settles. */
function runIn<R>({ span, ctx }: { span: Span; ctx: Context }, fn: (span: Span) => R): R {
  return callAndSettle(() => context.with(ctx, fn, undefined, span), endSpan(span));
}

/** Runs `fn(span)` (sync or async) in a new active child span named `name`; returns what `fn` returns. */
export function span<R>(name: string, fn: (span: Span) => R): R {
  return runIn(begin(name, undefined), fn);
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
  const fn = typeof second === "function" ? second : third!;
  const attributes = typeof second === "function" ? undefined : second;
  return runIn(begin(name, attributes), fn);
}

/** Compat: `fn(span)` runs with a new active span that `fn` must end itself. */
export function startActiveSpan<R>(options: { name: string; attributes?: Attributes }, fn: (span: Span) => R): R {
  const { span: s, ctx } = begin(options.name, options.attributes);
  return context.with(ctx, fn, undefined, s);
}
