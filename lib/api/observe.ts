import { context, trace, type Context, type Span } from "@opentelemetry/api";
import { activeTracer } from "../context/activeTracer.js";
import { callInContext } from "../context/contextManager.js";
import type { Recorder } from "../context/recorder.js";
import { log } from "../diag/log.js";
import { traceAsyncGenerator, traceSyncGenerator } from "./generators.js";
import { primitiveInputJson, primitiveJson } from "../serialize/fastJson.js";
import { endPair, startLinkedPair, type LinkedPair } from "./linked.js";
import { Keys, type SpanKindName } from "../wire/keys.js";
import { buildInput, parseParams, type ParamSpec } from "./params/params.js";
import { readOptions } from "./arguments.js";
import { callAndSettle, endSpan, isThenable, recordError, settle } from "./settle.js";

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
  try {
    return typeof value === "object" && value !== null && "kind" in value && "name" in value && "addInitializer" in value;
  } catch {
    return false; // a Proxy's `has` trap threw: not a decorator context
  }
}

const OPTION_KEYS = ["spanType", "spanName", "recordInput", "recordOutput", "disableGeneratorYieldSpan", "fork"] as const;

/** The options, read once and defensively (a Proxy or getters cannot throw later, at call time). */
function asOptions(value: unknown): ObserveOptions {
  const options = readOptions(value, OPTION_KEYS);
  if (typeof options.spanName !== "string") delete options.spanName;
  if (typeof options.spanType !== "string") delete options.spanType;
  return options as ObserveOptions;
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
  const kind = (Object.getPrototypeOf(fn) as { constructor?: { name?: string } } | null)?.constructor?.name;
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
  const call = fn as unknown as (this: unknown, ...args: unknown[]) => unknown;
  let params: ParamSpec[] | undefined;
  /** Each parameter's `"name":` JSON key, when the fast path applies (no rest parameter). */
  let keys: string[] | null | undefined;

  const inputOf = (tracer: Recorder, args: unknown[]): string => {
    params ??= parseParams(fn);
    if (keys === undefined) keys = params.some((p) => p.rest) ? null : params.map((p) => `${JSON.stringify(p.name)}:`);
    const fast = keys && tracer.fastJson ? primitiveInputJson(keys, args, tracer.maxAttributeBytes) : undefined;
    return fast ?? tracer.serialize(buildInput(params, args));
  };
  const outputOf = (tracer: Recorder, value: unknown): string =>
    (tracer.fastJson ? primitiveJson(value, tracer.maxAttributeBytes) : undefined) ?? tracer.serialize(value);
  const recordsInput = (tracer: Recorder) => recordInput && tracer.recordInputOutput;
  const recordsOutput = (tracer: Recorder) => recordOutput && tracer.recordInputOutput;
  const writeOutput = (tracer: Recorder, span: Span, value: unknown) => {
    if (recordsOutput(tracer)) span.setAttribute(Keys.output, outputOf(tracer, value));
  };

  /** The linked-trace path of `fork: true`; a plain span when there is no recording parent. */
  const forked = (tracer: Recorder, self: unknown, args: unknown[]): unknown => {
    let pair: LinkedPair | undefined;
    try {
      pair = startLinkedPair(tracer, name, kind);
      if (pair && recordsInput(tracer)) {
        const input = inputOf(tracer, args);
        pair.invocation.setAttribute(Keys.input, input);
        pair.root.setAttribute(Keys.input, input);
      }
    } catch {
      pair = undefined;
    }
    if (!pair) return traced(tracer, self, args);
    const { rootCtx } = pair;
    return callAndSettle(() => callInContext(rootCtx, call, self, args), endPair(pair, (s, v) => writeOutput(tracer, s, v)));
  };

  /** The span path: kept free of allocations beyond the span itself for sync primitive results. */
  const traced = (tracer: Recorder, self: unknown, args: unknown[]): unknown => {
    let span: Span;
    let ctx: Context;
    try {
      const parent = context.active();
      // Set after the start rather than passed to it: the SDK validates and copies start attributes twice.
      span = tracer.otelTracer.startSpan(name, undefined, parent);
      span.setAttribute(Keys.spanKind, kind);
      if (recordsInput(tracer)) span.setAttribute(Keys.input, inputOf(tracer, args));
      ctx = trace.setSpan(parent, span);
    } catch {
      return call.apply(self, args);
    }
    let result: unknown;
    try {
      result = callInContext(ctx, call, self, args);
    } catch (err) {
      recordError(span, err);
      span.end();
      throw err;
    }
    if ((typeof result === "object" && result !== null) || typeof result === "function") {
      const tag = tagOf(result);
      if (tag === GENERATOR_TAG) return traceSyncGenerator(result as Generator, { tracer, span, ctx, name, itemSpans, recordOutput });
      if (tag === ASYNC_GENERATOR_TAG) return traceAsyncGenerator(result as AsyncGenerator, { tracer, span, ctx, name, itemSpans, recordOutput });
      if (isThenable(result)) return settle(result, endSpan(span, (value) => writeOutput(tracer, span, value)));
    }
    try {
      writeOutput(tracer, span, result);
    } catch {
      // recording the output must not change what the caller gets
    }
    span.end();
    return result;
  };

  const observed = function (this: unknown, ...args: unknown[]): unknown {
    const tracer = activeTracer();
    if (tracer === undefined || !tracer.recording) return call.apply(this, args);
    return fork ? forked(tracer, this, args) : traced(tracer, this, args);
  };
  Object.defineProperty(observed, "name", { value: fn.name, configurable: true });
  return observed as unknown as F;
}
