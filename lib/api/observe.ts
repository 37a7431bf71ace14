import { trace, type Context, type Span } from "@opentelemetry/api";
import { tracerIn, withSpan } from "../context/active-tracer.js";
import { activeContext, callInContext } from "../context/context-manager.js";
import type { Recorder } from "../context/recorder.js";
import { log } from "../diag/log.js";
import { lazy } from "../diag/lazy.js";
import type * as Generators from "./generators.js";
import type { AnyGenerator } from "./generators.js";
import type { ArgumentNames } from "../serialize/recording.js";
import { endPair, startLinkedPair, type LinkedPair } from "./linked.js";
import { Keys, type SpanKindName } from "../wire/keys.js";
import { argumentNames } from "./params/input.js";
import { looksMinified } from "./params/minified.js";
import { parseParams, type ParamSpec } from "./params/params.js";
import { readOptions } from "./arguments.js";
import { setOwnAttribute } from "./own-attributes.js";
import { startObservedSpan } from "./observed-span.js";
import { callAndSettle, endSpan, isThenable, recordError, settle } from "./settle.js";
import { isLocal, UnexportedSpan } from "./unexported.js";

// Generator functions are rarer than plain ones: their tracing loads with the first generator.
const generatorTracing = lazy("generator tracing", () => require("./generators.js") as typeof Generators);

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
  /**
   * Names of the parameters, in order, for the recorded input, instead of those read from the
   * function's source: minifiers rename parameters (`{"e": …}`), so minified bundles pass them here.
   */
  paramNames?: readonly string[];
}

/** A function of any signature (the decorated or wrapped target). */
export type Callable = (...args: never[]) => unknown;

/**
 * What `@observe(...)` (and bare `@observe`) applies to, typed for each place a decorator may sit:
 * stage-3 methods (static and `#private` too), getters, setters, auto-accessors and class fields
 * holding functions; and, in projects compiled with `experimentalDecorators`, methods and
 * accessors by their property descriptor. Each form keeps the member's type.
 */
export interface MethodDecorator {
  <This, Args extends unknown[], Return>(
    target: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  <This, Value>(target: (this: This) => Value, context: ClassGetterDecoratorContext<This, Value>): (this: This) => Value;
  <This, Value>(
    target: (this: This, value: Value) => void,
    context: ClassSetterDecoratorContext<This, Value>,
  ): (this: This, value: Value) => void;
  <This, Value>(
    target: ClassAccessorDecoratorTarget<This, Value>,
    context: ClassAccessorDecoratorContext<This, Value>,
  ): ClassAccessorDecoratorResult<This, Value>;
  <This, Value>(target: undefined, context: ClassFieldDecoratorContext<This, Value>): (initial: Value) => Value;
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T> | void;
}

/**
 * Traces every call of a method or function as a span: `@observe`, `@observe()`,
 * `@observe({ spanType: "tool" })` on class members (see {@link MethodDecorator}), or
 * `observe(fn, options)` for a plain function.
 */
export function observe<This, Args extends unknown[], Return>(
  target: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
): (this: This, ...args: Args) => Return;
export function observe<This, Value>(
  target: (this: This) => Value,
  context: ClassGetterDecoratorContext<This, Value>,
): (this: This) => Value;
export function observe<This, Value>(
  target: (this: This, value: Value) => void,
  context: ClassSetterDecoratorContext<This, Value>,
): (this: This, value: Value) => void;
export function observe<This, Value>(
  target: ClassAccessorDecoratorTarget<This, Value>,
  context: ClassAccessorDecoratorContext<This, Value>,
): ClassAccessorDecoratorResult<This, Value>;
export function observe<This, Value>(target: undefined, context: ClassFieldDecoratorContext<This, Value>): (initial: Value) => Value;
export function observe<T>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
): TypedPropertyDescriptor<T> | void;
export function observe(options?: ObserveOptions): MethodDecorator;
export function observe<F extends Callable>(fn: F, options?: ObserveOptions): F;
export function observe(first?: unknown, second?: unknown, third?: unknown): unknown {
  if (isDecoratorContext(second)) return decorate(first, second, {});
  // `observe(fn, "x")` (a wrong options value) reads as the plain-function form, not a legacy field
  if (isLegacyCall(second, third) && (third !== undefined || typeof first !== "function")) return decorateLegacy(second, third, {});
  if (typeof first === "function") return instrument(first as Callable, undefined, asOptions(second));
  // bare `@observe` in the 2018-09 form: the element must come back, not a decorator built from it
  if (second === undefined && isElementDescriptor(first)) return decorateElement(first, {});
  const options = asOptions(first);
  return function observeDecorator(target: unknown, key: unknown, descriptor?: unknown): unknown {
    if (isDecoratorContext(key)) return decorate(target, key, options);
    if (isLegacyCall(key, descriptor)) return decorateLegacy(key, descriptor, options);
    if (key === undefined && isElementDescriptor(target)) return decorateElement(target, options);
    log.warnOnce(
      "observe:shape",
      "@observe() was called in a decorator form it does not know, so this member is NOT traced. Compile decorators " +
        'as TypeScript does: the standard form, or "experimentalDecorators": true in tsconfig.json ' +
        "(the setting for each toolchain: docs/toolchains.md in the judgeval package).",
    );
    return target;
  };
}

type DecoratorContext = { kind: string; name: string | symbol; static?: boolean };

function isDecoratorContext(value: unknown): value is DecoratorContext {
  try {
    // 2022-03 contexts (Babel) give fields no addInitializer, only access
    return (
      typeof value === "object" && value !== null && "kind" in value && "name" in value && ("addInitializer" in value || "access" in value)
    );
  } catch {
    return false; // a Proxy's `has` trap threw: not a decorator context
  }
}

/**
 * The element descriptor of the 2018-09 proposal (Babel's `version: "2018-09"`, and SWC's default,
 * which Next.js uses without `experimentalDecorators`): the decorator's one argument and its result.
 */
type ElementDescriptor = {
  kind: string;
  key: string | symbol;
  placement: string;
  descriptor?: MemberDescriptor;
  initializer?: unknown;
};

function isElementDescriptor(value: unknown): value is ElementDescriptor {
  try {
    if (typeof value !== "object" || value === null || !("placement" in value) || !("kind" in value)) return false;
    const { key } = value as { key?: unknown };
    return typeof key === "string" || typeof key === "symbol";
  } catch {
    return false; // a Proxy's `has` trap threw
  }
}

/** The `experimentalDecorators` call shape: `(target, propertyKey, descriptor)`; a field gets no descriptor. */
function isLegacyCall(key: unknown, descriptor: unknown): key is string | symbol {
  return (
    (typeof key === "string" || typeof key === "symbol") &&
    (descriptor === undefined || (typeof descriptor === "object" && descriptor !== null))
  );
}

const OPTION_KEYS = ["spanType", "spanName", "recordInput", "recordOutput", "disableGeneratorYieldSpan", "fork", "paramNames"] as const;

/** The options, read once and defensively (a Proxy or getters cannot throw later, at call time). */
function asOptions(value: unknown): ObserveOptions {
  const options = readOptions(value, OPTION_KEYS, "observe");
  if (typeof options.spanName !== "string") delete options.spanName;
  if (typeof options.spanType !== "string") delete options.spanType;
  try {
    if (Array.isArray(options.paramNames)) options.paramNames = Array.from(options.paramNames as unknown[], (n) => String(n));
    else delete options.paramNames;
  } catch {
    delete options.paramNames; // a hostile array
  }
  return options as ObserveOptions;
}

function memberName(name: string | symbol): string {
  return typeof name === "symbol" ? (name.description ?? "anonymous") : name;
}

/** A field initializer: each instance's function is traced on its own. */
function tracedField(name: string, options: ObserveOptions): (initial: unknown) => unknown {
  return (initial) => {
    if (typeof initial === "function") return instrument(initial as Callable, name, options);
    log.warnOnce(`observe:field:${name}`, `@observe on field "${name}": its value is not a function, so there is nothing to trace.`);
    return initial;
  };
}

function warnNotAMember(kind: string, name: string): void {
  log.warnOnce(`observe:${kind}`, `@observe applies to methods, accessors and fields holding functions; left ${kind} "${name}" as it is.`);
}

function decorate(target: unknown, ctx: DecoratorContext, options: ObserveOptions): unknown {
  const name = memberName(ctx.name);
  switch (ctx.kind) {
    case "method":
    case "getter":
    case "setter":
      if (typeof target === "function") return instrument(target as Callable, name, options);
      break;
    case "field":
      return tracedField(name, options);
    case "accessor": {
      const { get, set } = target as { get: Callable; set: Callable };
      return { get: instrument(get, name, options), set: instrument(set, name, options) };
    }
  }
  warnNotAMember(ctx.kind, name);
  return target;
}

/**
 * A property descriptor as decorator transforms hand it over; Babel's legacy transform gives a
 * field an `initializer` in it.
 */
type MemberDescriptor = { value?: unknown; get?: Callable; set?: Callable; initializer?: unknown };

/** Traces the function a member descriptor holds, in place; false when it holds none. */
function instrumentDescriptor(name: string, d: MemberDescriptor | undefined, options: ObserveOptions): boolean {
  if (!d) return false;
  if (typeof d.value === "function") d.value = instrument(d.value as Callable, name, options);
  else if (d.get || d.set) {
    const { get, set } = d;
    if (get) d.get = instrument(get, name, options);
    if (set) d.set = instrument(set, name, options);
  } else if (typeof d.initializer === "function") d.initializer = tracedInitializer(d.initializer as () => unknown, name, options);
  else return false;
  return true;
}

/** A field's initializer whose value, when a function, is traced (each instance's on its own). */
function tracedInitializer(initializer: () => unknown, name: string, options: ObserveOptions): () => unknown {
  const traced = tracedField(name, options);
  return function (this: unknown) {
    return traced(initializer.call(this));
  };
}

/** `experimentalDecorators`: rewrites the member's descriptor in place. */
function decorateLegacy(key: string | symbol, descriptor: unknown, options: ObserveOptions): unknown {
  const name = memberName(key);
  if (!instrumentDescriptor(name, descriptor as MemberDescriptor | undefined, options))
    log.warnOnce(
      `observe:legacy:${name}`,
      `@observe on "${name}" under experimentalDecorators: fields cannot be traced there, so it is NOT traced; make it a method, or wrap the function with observe(fn).`,
    );
  return descriptor;
}

/** The 2018-09 form: the element comes back with its method, accessor or field initializer traced. */
function decorateElement(element: ElementDescriptor, options: ObserveOptions): ElementDescriptor {
  const name = memberName(element.key);
  if (element.kind === "field" && typeof element.initializer === "function")
    element.initializer = tracedInitializer(element.initializer as () => unknown, name, options);
  else if (element.kind === "field")
    tracedField(name, options)(undefined); // no initializer: warns that nothing is traced
  else if (!(element.kind === "method" && instrumentDescriptor(name, element.descriptor, options))) warnNotAMember(element.kind, name);
  return element;
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
  try {
    const kind = (Object.getPrototypeOf(fn) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return kind === "GeneratorFunction" || kind === "AsyncGeneratorFunction";
  } catch {
    return false; // a Proxy of a function whose traps throw: called as a plain function
  }
}

/** `fn.name`, or "" when it is not a string or reading it throws (a Proxy). */
function functionName(fn: Callable): string {
  try {
    return typeof fn.name === "string" ? fn.name : "";
  } catch {
    return "";
  }
}

/** The parameters read from `fn`'s source; a minified list is recorded as it is, and said once. */
function sourceParams(fn: Callable, name: string): ParamSpec[] {
  const params = parseParams(fn);
  if (looksMinified(fn, params))
    log.warnOnce(
      "observe:minified",
      `@observe: the parameters of "${name}" (${params.map((p) => p.name).join(", ")}) look minified, so inputs are recorded under ` +
        "those names. Keep them: in Next.js, experimental: { serverMinification: false } in next.config; in esbuild, " +
        "minifyIdentifiers: false; in webpack, terserOptions: { mangle: false } for TerserPlugin; or pass paramNames " +
        "(docs/toolchains.md in the judgeval package).",
    );
  return params;
}

/** The traced twin of `fn`. Everything that depends only on `fn` is worked out here, once. */
function instrument<F extends Callable>(fn: F, methodName: string | undefined, options: ObserveOptions): F {
  const fnName = functionName(fn);
  const name = options.spanName ?? methodName ?? (fnName || "anonymous");
  const isGenerator = isGeneratorFunction(fn);
  const kind = options.spanType ?? (isGenerator ? "generator" : "span");
  const recordsInput = options.recordInput !== false;
  const recordsOutput = options.recordOutput !== false;
  const itemSpans = recordsOutput && !options.disableGeneratorYieldSpan;
  // Generators stay on the plain path: a linked trace per lazily-consumed stream would outlive its caller.
  const fork = options.fork === true && !isGenerator;
  const call = fn as unknown as (this: unknown, ...args: unknown[]) => unknown;
  let names: ArgumentNames | undefined;

  /** The recorded input, or undefined when this function or the tracer records none. */
  const inputOf = (recorder: Recorder, args: unknown[]): string | undefined => {
    const serialize = recordsInput ? recorder.serializeArguments : undefined;
    if (serialize === undefined) return undefined;
    names ??= argumentNames(options.paramNames ? options.paramNames.map((p) => ({ name: p, rest: false })) : sourceParams(fn, name));
    return serialize(args, names);
  };
  const writeOutput = (recorder: Recorder, span: Span, value: unknown) => {
    const serialize = recordsOutput ? recorder.serializeInputOutput : undefined;
    if (serialize !== undefined) setOwnAttribute(span, recorder, Keys.output, serialize(value));
  };

  /** The linked-trace path of `fork: true`; a plain span when there is no recording parent. */
  const forked = (recorder: Recorder, parent: Context, self: unknown, args: unknown[]): unknown => {
    let pair: LinkedPair | undefined;
    try {
      pair = startLinkedPair(recorder, name, kind);
      const input = pair && inputOf(recorder, args);
      if (pair && input !== undefined) {
        setOwnAttribute(pair.invocation, recorder, Keys.input, input);
        setOwnAttribute(pair.root, recorder, Keys.input, input);
      }
    } catch {
      pair = undefined;
    }
    if (!pair) return traced(recorder, parent, self, args);
    const { rootCtx } = pair;
    return callAndSettle(
      () => callInContext(rootCtx, call, self, args),
      endPair(pair, (s, v) => writeOutput(recorder, s, v)),
    );
  };

  /** The span path: kept free of allocations beyond the span itself for sync primitive results. */
  const traced = (recorder: Recorder, parent: Context, self: unknown, args: unknown[]): unknown => {
    let span: Span;
    let ctx: Context;
    try {
      span = startObservedSpan(recorder, name, kind, parent);
      const input = inputOf(recorder, args);
      if (input !== undefined) setOwnAttribute(span, recorder, Keys.input, input);
      ctx = withSpan(parent, span, recorder);
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
      // (without the generator tracing, the span ends here, the generator's items untraced)
      const generators = tag === GENERATOR_TAG || tag === ASYNC_GENERATOR_TAG ? generatorTracing() : undefined;
      if (generators)
        return generators.traceGenerator(
          result as AnyGenerator,
          { recorder, span, ctx, name, itemSpans, recordOutput: recordsOutput },
          tag === ASYNC_GENERATOR_TAG,
        );
      if (isThenable(result))
        return settle(
          result,
          endSpan(span, (value) => writeOutput(recorder, span, value)),
        );
    }
    try {
      writeOutput(recorder, span, result);
    } catch {
      // recording the output must not change what the caller gets
    }
    span.end();
    return result;
  };

  /**
   * Export off: an unexported span with real ids, so nesting and propagation work as with export
   * on — a new trace for `fork`, and a generator's body runs in its span at every step. Nothing
   * is serialized: nothing would read it.
   */
  const unexported = (recorder: Recorder, parent: Context, self: unknown, args: unknown[]): unknown => {
    let span: Span;
    let ctx: Context;
    try {
      const up = trace.getSpan(parent);
      span = new UnexportedSpan(fork && isLocal(up) ? undefined : up);
      ctx = withSpan(parent, span, recorder);
    } catch {
      return call.apply(self, args);
    }
    const result = callInContext(ctx, call, self, args);
    if (typeof result === "object" && result !== null) {
      const tag = tagOf(result);
      const generators = tag === GENERATOR_TAG || tag === ASYNC_GENERATOR_TAG ? generatorTracing() : undefined;
      if (generators) {
        const quiet = { recorder, span, ctx, name, itemSpans: false, recordOutput: false };
        return generators.traceGenerator(result as AnyGenerator, quiet, tag === ASYNC_GENERATOR_TAG);
      }
    }
    return result;
  };

  const observed = function (this: unknown, ...args: unknown[]): unknown {
    const parent = activeContext();
    const tracer = tracerIn(parent);
    if (tracer === undefined) return call.apply(this, args);
    if (!tracer.recording) return unexported(tracer, parent, this, args);
    return fork ? forked(tracer, parent, this, args) : traced(tracer, parent, this, args);
  };
  Object.defineProperty(observed, "name", { value: fnName, configurable: true });
  return observed as unknown as F;
}
