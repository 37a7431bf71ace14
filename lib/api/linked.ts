import { context, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { activeTracer, withSpan } from "../context/active-tracer.js";
import { inheritPropagated } from "../context/propagated.js";
import type { Recorder } from "../context/recorder.js";
import { log } from "../diag/log.js";
import { Keys, type SpanKindName } from "../wire/keys.js";
import { callAndSettle, recordError, type Outcome } from "./settle.js";
import { startAsCurrentSpan } from "./spans.js";
import { startObservedSpan } from "./observed-span.js";
import { callbackAndOptions, entriesOf, isCallable, nameOf, readOptions } from "./arguments.js";
import { isLocal, UnexportedSpan } from "./unexported.js";

/** Initial attributes of a linked root taken at most. */
const MAX_LINKED_ATTRIBUTES = 256;

/** An invocation span in the caller's trace and the root of the new trace it started. */
export interface LinkedPair {
  invocation: Span;
  root: Span;
  /** The caller's context with the linked root active. */
  rootCtx: Context;
}

/**
 * Starts a linked trace from the current span: each side carries the other's ids
 * (`judgment.link.*`) and an OpenTelemetry link to it. Undefined without a recording parent.
 */
export function startLinkedPair(
  recorder: Recorder,
  name: string,
  kind: SpanKindName | undefined,
  attributes?: Attributes,
): LinkedPair | undefined {
  const parentCtx = context.active();
  if (!trace.getSpan(parentCtx)?.isRecording()) return undefined;
  // An empty kind writes none; on the root, a kind among the caller's attributes wins.
  const ownKind = kind || undefined;
  const invocation = startObservedSpan(recorder, name, ownKind, parentCtx);
  const source = invocation.spanContext();
  // Started under the invocation's context (though as a root) so baggage and propagated ids carry over.
  const root = startObservedSpan(
    recorder,
    name,
    attributes !== undefined && Keys.spanKind in attributes ? undefined : ownKind,
    trace.setSpan(parentCtx, invocation),
    {
      root: true,
      links: [{ context: source }],
      attributes: { ...attributes, [Keys.linkSourceTraceId]: source.traceId, [Keys.linkSourceSpanId]: source.spanId },
    },
  );
  // A root start drops the parent from the context its processors see: inherit explicitly.
  inheritPropagated(root, trace.setSpan(parentCtx, invocation));
  const target = root.spanContext();
  invocation.setAttributes({ [Keys.linkTargetTraceId]: target.traceId, [Keys.linkTargetSpanId]: target.spanId });
  invocation.addLink({ context: target });
  return { invocation, root, rootCtx: trace.setSpan(parentCtx, root) };
}

/** Ends both sides of a linked pair: the value (or error) on both, root first. */
export function endPair(pair: LinkedPair, onValue?: (span: Span, value: unknown) => void): Outcome {
  const { root, invocation } = pair;
  return {
    ok(value) {
      try {
        onValue?.(root, value);
        onValue?.(invocation, value);
      } catch {
        // recording the value must not change what the caller gets
      }
      root.end();
      invocation.end();
    },
    fail(err) {
      recordError(root, err);
      recordError(invocation, err);
      root.end();
      invocation.end();
    },
  };
}

/** Options of {@link startLinkedTrace}. */
export interface LinkedTraceOptions {
  /** Initial attributes of the linked root span. */
  attributes?: Attributes;
  /** Span kind of both spans (default "span"); null sets none. */
  spanType?: SpanKindName | null;
}

/**
 * Runs `fn(root)` as the root of a new trace linked to the current span (see `observe({ fork })`).
 * Without a recording parent it runs in a plain span, with one warning.
 */
export function startLinkedTrace<R>(name: string, fn: (span: Span) => R): R;
export function startLinkedTrace<R>(name: string, options: LinkedTraceOptions, fn: (span: Span) => R): R;
export function startLinkedTrace<R>(name: string, second: LinkedTraceOptions | ((span: Span) => R), third?: (span: Span) => R): R {
  const given = callbackAndOptions<(span: Span) => R>(second, third, "startLinkedTrace");
  const fn = given.fn;
  if (!isCallable(fn, "startLinkedTrace")) return undefined as R;
  const options = readOptions(given.options, ["spanType", "attributes"], "startLinkedTrace");
  const spanName = nameOf(name);
  const tracer = activeTracer();
  let pair: LinkedPair | undefined;
  let kind: SpanKindName | undefined;
  let attributes: Attributes = {};
  try {
    kind = options.spanType === null ? undefined : typeof options.spanType === "string" ? options.spanType : "span";
    attributes = Object.fromEntries(entriesOf(options.attributes, MAX_LINKED_ATTRIBUTES, "startLinkedTrace"));
    pair = tracer?.recording ? startLinkedPair(tracer, spanName, kind, attributes) : undefined;
  } catch {
    pair = undefined;
  }
  if (!pair && tracer !== undefined && !tracer.recording) {
    // export off: the same new trace, its root unexported
    const parentCtx = context.active();
    if (isLocal(trace.getSpan(parentCtx))) {
      const root = new UnexportedSpan(undefined);
      return context.with(withSpan(parentCtx, root, tracer), fn, undefined, root);
    }
  }
  if (!pair) {
    log.warnOnce(
      "linked-no-parent",
      `startLinkedTrace("${spanName.slice(0, 100)}") needs an active recording span to link from; ran it as a plain span.`,
    );
    return startAsCurrentSpan(spanName, kind === undefined ? attributes : { ...attributes, [Keys.spanKind]: kind }, fn);
  }
  const { root, rootCtx } = pair;
  return callAndSettle(() => context.with(rootCtx, fn, undefined, root), endPair(pair));
}
