import { context, trace, type Context, type Span } from "@opentelemetry/api";
import { activeTracer } from "../context/activeTracer.js";
import type { Tracer } from "../tracer/Tracer.js";
import { log } from "../util/log.js";
import { traceAsyncGenerator, traceSyncGenerator } from "./generators.js";
import { endPair, startLinkedPair } from "./linked.js";
import { Keys, type SpanKindName } from "./keys.js";
import { buildInput, parseParams, type ParamSpec } from "./params.js";
import { endSpan, settle, type Outcome } from "./settle.js";

/** Options of {@link observe}. */
export interface ObserveOptions {
  /** `judgment.span_kind` of the span: "span" (default; "generator" for generator functions), "agent", "tool", "llm", "function" or your own. */
  spanType?: SpanKindName;
  /** Span name; default the method or function name. */
  spanName?: string;
  /** Record the arguments as `judgment.input` (default true). */
  recordInput?: boolean;
  /** Record the return value (or yielded items) as `judgment.output` (default true). */
  recordOutput?: boolean;
  /** No `generator_item` child span per yielded value. */
  disableGeneratorYieldSpan?: boolean;
  /** Run the call in a new trace linked to the caller's (see `Tracer.startLinkedTrace`). */
  fork?: boolean;
}

/** A function of any signature (the decorated or wrapped target). */
export type Callable = (...args: never[]) => unknown;

/** A stage-3 method decorator that keeps the method's type. */
export type MethodDecorator = <This, Args extends unknown[], Return>(
  target: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return;

/**
 * Traces every call of a method or function as a span: `@observe`, `@observe()`,
 * `@observe({ spanType: "tool" })` on class methods, or `observe(fn, options)` for a plain function.
 */
export function observe<This, Args extends unknown[], Return>(
  target: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
): (this: This, ...args: Args) => Return;
export function observe(options?: ObserveOptions): MethodDecorator;
export function observe<F extends Callable>(fn: F, options?: ObserveOptions): F;
export function observe(first?: unknown, second?: unknown): unknown {
  if (typeof first === "function") {
    if (isDecoratorContext(second)) return decorate(first as Callable, second, {});
    return instrument(first as Callable, undefined, asOptions(second));
  }
  const options = asOptions(first);
  return (target: Callable, ctx: DecoratorContext) => decorate(target, ctx, options);
}

type DecoratorContext = { kind: string; name: string | symbol };

function isDecoratorContext(value: unknown): value is DecoratorContext {
  return typeof value === "object" && value !== null && "kind" in value && "name" in value && "addInitializer" in value;
}

function asOptions(value: unknown): ObserveOptions {
  return typeof value === "object" && value !== null ? (value as ObserveOptions) : {};
}

function decorate(target: Callable, ctx: DecoratorContext, options: ObserveOptions): unknown {
  if (typeof target !== "function" || (ctx.kind !== "method" && ctx.kind !== "getter" && ctx.kind !== "setter")) {
    log.warnOnce(`observe:${ctx.kind}`, `@observe applies to methods; left ${ctx.kind} "${String(ctx.name)}" as it is.`);
    return target;
  }
  const name = typeof ctx.name === "symbol" ? (ctx.name.description ?? "anonymous") : ctx.name;
  return instrument(target, name, options);
}

const GENERATOR_TAG = "[object Generator]";
const ASYNC_GENERATOR_TAG = "[object AsyncGenerator]";

/** `[object X]` of a value; a Proxy's `get` trap may throw while it is read. */
function tagOf(value: object): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return "";
  }
}

function isGeneratorFunction(fn: Callable): boolean {
  const kind = Object.getPrototypeOf(fn)?.constructor?.name;
  return kind === "GeneratorFunction" || kind === "AsyncGeneratorFunction";
}

/** The traced twin of `fn`. Everything that depends only on `fn` is worked out here, once. */
function instrument<F extends Callable>(fn: F, methodName: string | undefined, options: ObserveOptions): F {
  const name = options.spanName ?? methodName ?? (fn.name || "anonymous");
  const isGenerator = isGeneratorFunction(fn);
  const kind = options.spanType ?? (isGenerator ? "generator" : "span");
  const recordInput = options.recordInput !== false;
  const recordOutput = options.recordOutput !== false;
  const itemSpans = recordOutput && !options.disableGeneratorYieldSpan;
  // Generators stay on the plain path: a linked trace per lazily-consumed stream would outlive its caller.
  const fork = options.fork === true && !isGenerator;
  const attributes = { [Keys.spanKind]: kind };
  const call = fn as unknown as (this: unknown, ...args: unknown[]) => unknown;
  let params: ParamSpec[] | undefined;

  const observed = function (this: unknown, ...args: unknown[]): unknown {
    const tracer = activeTracer<Tracer>();
    if (tracer === undefined || !tracer.recording) return call.apply(this, args);
    let span: Span;
    let ctx: Context;
    let outcome: Outcome;
    try {
      const parent = context.active();
      const input = recordInput && tracer.recordInputOutput ? tracer.serialize(buildInput((params ??= parseParams(fn)), args)) : undefined;
      const output = recordOutput && tracer.recordInputOutput ? (s: Span, value: unknown) => s.setAttribute(Keys.output, tracer.serialize(value)) : undefined;
      const pair = fork ? startLinkedPair(tracer, name, kind) : undefined;
      if (pair) {
        span = pair.root;
        ctx = pair.rootCtx;
        if (input !== undefined) pair.invocation.setAttribute(Keys.input, input);
        outcome = endPair(pair, output);
      } else {
        span = tracer.otelTracer.startSpan(name, { attributes }, parent);
        ctx = trace.setSpan(parent, span);
        outcome = endSpan(span, output && ((value) => output(span, value)));
      }
      if (input !== undefined) span.setAttribute(Keys.input, input);
    } catch {
      return call.apply(this, args);
    }
    let result: unknown;
    try {
      result = context.with(ctx, call, this, ...args);
    } catch (err) {
      outcome.fail(err);
      throw err;
    }
    if (typeof result === "object" && result !== null) {
      const tag = tagOf(result);
      if (tag === GENERATOR_TAG) return traceSyncGenerator(result as Generator, { tracer, span, ctx, name, itemSpans, recordOutput });
      if (tag === ASYNC_GENERATOR_TAG) return traceAsyncGenerator(result as AsyncGenerator, { tracer, span, ctx, name, itemSpans, recordOutput });
    }
    return settle(result, outcome);
  };
  Object.defineProperty(observed, "name", { value: fn.name, configurable: true });
  return observed as unknown as F;
}
