import { context, createContextKey, trace, type Context, type Span } from "@opentelemetry/api";
import type { Recorder } from "./recorder.js";
import { state } from "./global-state.js";
import { withActiveSpan } from "./light-context.js";

/**
 * Which tracer a span belongs to, and which tracer new root spans use.
 *
 * - A root span records its tracer (and itself) in the context it runs in; every span started
 *   beneath it finds that record, so a trace stays with the tracer that started it whatever is
 *   activated elsewhere meanwhile. While the process has only ever had one tracer there is nothing
 *   to tell apart and no record is made; spans started before a second tracer came are found by
 *   asking each tracer whether the span is one of its open ones.
 * - `tracer.run(fn)` opens a scope: new roots inside `fn` use that tracer, and `setActive()`
 *   called inside moves the scope rather than the whole process.
 * - Contexts that never chose use the process default: the last tracer made active that is
 *   still alive, so shutting down the active tracer gives back the one before it.
 */

/** The trace's owner, set at its first span in this tracer. */
interface Owner {
  readonly tracer: Recorder;
  readonly root: Span;
  /** The first span has a parent: a remote one (a continued trace) or another tracer's. */
  readonly hasParent: boolean;
}
/** A `tracer.run` scope; `setActive` inside it changes `tracer`. */
interface Scope {
  tracer: Recorder;
}

// Context keys are `Symbol.for` names, hence shared by both builds and every copy.
const OWNER = createContextKey("judgeval.traceOwner");
const SCOPE = createContextKey("judgeval.tracerScope");

/** The process default: the most recently activated tracer not shut down. */
function processDefault(): Recorder | undefined {
  const stack = state.activeStack as Recorder[];
  return stack.length === 0 ? undefined : stack[stack.length - 1];
}

/** The tracer new root spans started in `ctx` use. */
function rootTracer(ctx: Context): Recorder | undefined {
  const scope = ctx.getValue(SCOPE) as Scope | undefined;
  return scope !== undefined ? scope.tracer : processDefault();
}

/**
 * The tracer the static API acts on here: the owner of the current trace, else the one new roots
 * use in this context. `T` narrows to the tracer class for the facade, which alone knows it.
 */
export function activeTracer<T extends Recorder = Recorder>(): T | undefined {
  return tracerIn(context.active()) as T | undefined;
}

/** {@link activeTracer} for a context the caller already holds. */
export function tracerIn(ctx: Context): Recorder | undefined {
  if (state.tracersMade < 2) return rootTracer(ctx); // owners are recorded only once there are two
  const owner = ctx.getValue(OWNER) as Owner | undefined;
  if (owner !== undefined) return owner.tracer;
  return ownerOfSpan(ctx) ?? rootTracer(ctx);
}

/** A span started before owners were recorded: the tracer that has it open, if any. */
function ownerOfSpan(ctx: Context): Recorder | undefined {
  const span = trace.getSpan(ctx);
  if (span === undefined) return undefined;
  for (const tracer of state.tracers as Set<Recorder>) if (tracer.owns(span)) return tracer;
  return undefined;
}

/**
 * `parent` with `span` active, owned by `tracer`, as a linked context (one small object per span
 * rather than a copied map). Only a span starting a new trace for this tracer (or under another
 * tracer's span), in a process that has had several tracers, adds the owner record: nested
 * spans, and every span of a one-tracer process, cost nothing extra.
 */
export function withSpan(parent: Context, span: Span, recorder: Recorder): Context {
  const ctx = withActiveSpan(parent, span);
  if (state.tracersMade < 2) return ctx;
  const owner = parent.getValue(OWNER) as Owner | undefined;
  if (owner !== undefined && owner.tracer === recorder) return ctx;
  const hasParent = trace.getSpanContext(parent) !== undefined;
  return ctx.setValue(OWNER, { tracer: recorder, root: span, hasParent } satisfies Owner);
}

/**
 * Whether the current span of `ctx` is a root span `tracer` started: one without any parent. A
 * span continuing a remote parent (or under another tracer's span) is not a root.
 */
export function isOwnRoot(ctx: Context, recorder: Recorder): boolean {
  const span = trace.getSpan(ctx);
  if (span === undefined) return false;
  const owner = ctx.getValue(OWNER) as Owner | undefined;
  if (owner !== undefined) return owner.tracer === recorder && owner.root === span && !owner.hasParent;
  // recorded before owners were: a span of the SDK's says whether it has a parent
  return recorder.owns(span) && (span as { parentSpanContext?: unknown }).parentSpanContext === undefined;
}

/** The tracer new root spans use in the current context. */
export function tracerForRoots(): Recorder | undefined {
  return rootTracer(context.active());
}

/** Makes `tracer` the one new roots use: in the current `run` scope if there is one, else process-wide. */
export function activate(recorder: Recorder): void {
  const scope = context.active().getValue(SCOPE) as Scope | undefined;
  if (scope !== undefined) {
    scope.tracer = recorder;
    return;
  }
  const stack = state.activeStack;
  const at = stack.indexOf(recorder);
  if (at >= 0) stack.splice(at, 1);
  stack.push(recorder);
}

/** Forgets a shut-down tracer: the default falls back to the one activated before it. */
export function deactivate(recorder: Recorder): void {
  const stack = state.activeStack;
  const at = stack.indexOf(recorder);
  if (at >= 0) stack.splice(at, 1);
}

/**
 * A context where everything started uses `tracer`: a new scope for roots, and no owner inherited
 * from an enclosing trace (an explicit `run` wins over the enclosing trace's tracer).
 */
export function withScope(ctx: Context, recorder: Recorder): Context {
  return ctx.deleteValue(OWNER).setValue(SCOPE, { tracer: recorder } satisfies Scope);
}
