import { context, type Context, type Span } from "@opentelemetry/api";
import { hrTime } from "../otel/sdk.js";
import type { Recorder } from "../context/recorder.js";
import { Keys } from "../wire/keys.js";
import { recordError } from "./settle.js";
import { startObservedSpan } from "./observed-span.js";

/** How a traced generator reports what it yields. */
export interface GeneratorTracing {
  recorder: Recorder;
  span: Span;
  /** Context with the generator's span active: the body runs in it at every step. */
  ctx: Context;
  name: string;
  /** One `generator_item` child span per yielded value. */
  itemSpans: boolean;
  recordOutput: boolean;
}

type Step = "next" | "return" | "throw";

/**
 * Shared bookkeeping of sync and async traced generators: the span stays open until the
 * consumer finishes, breaks out (`return`) or the body throws, and records the yielded items.
 */
class GeneratorSpan {
  private readonly items: unknown[] = [];
  finished = false;

  constructor(private readonly t: GeneratorTracing) {}

  /** Records one step's outcome; `startedAt` is when the consumer asked for the item. */
  onResult(result: IteratorResult<unknown>, startedAt: ReturnType<typeof hrTime>): void {
    if (result.done) return this.finish();
    const { recorder, ctx, name } = this.t;
    try {
      if (this.t.recordOutput) this.items.push(result.value);
      if (!this.t.itemSpans) return;
      const item = startObservedSpan(recorder, name, "generator_item", ctx, { startTime: startedAt });
      item.setAttribute(Keys.output, recorder.serialize(result.value));
      item.end();
    } catch {
      // tracing an item must never break the consumer's iteration
    }
  }

  onError(err: unknown): void {
    recordError(this.t.span, err);
    this.finish();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const { span, recorder } = this.t;
    if (this.t.recordOutput) span.setAttribute(Keys.output, recorder.serialize(this.items));
    span.end();
  }
}

/** A sync or async generator object. */
export type AnyGenerator = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;
type Stepper = (arg: unknown) => IteratorResult<unknown> | Promise<IteratorResult<unknown>>;

/**
 * A generator that runs every step of `inner` inside the generator span's context and reports
 * each outcome; `isAsync` says whether steps return promises. Same prototype as `inner`, so it
 * still reads as a (async) generator.
 */
export function traceGenerator<G extends AnyGenerator>(inner: G, t: GeneratorTracing, isAsync: boolean): G {
  const state = new GeneratorSpan(t);
  const step = (method: Step, arg: unknown) => {
    const call = (inner[method] as Stepper).bind(inner);
    if (state.finished) return call(arg);
    const startedAt = hrTime();
    const onResult = (result: IteratorResult<unknown>) => {
      if (method !== "next" && !result.done) return result;
      state.onResult(result, startedAt);
      if (method !== "next") state.finish();
      return result;
    };
    const onError = (err: unknown): never => {
      state.onError(err);
      throw err;
    };
    let out: ReturnType<Stepper>;
    try {
      out = context.with(t.ctx, call, undefined, arg);
    } catch (err) {
      return isAsync ? Promise.reject(err).catch(onError) : onError(err);
    }
    return isAsync ? (out as Promise<IteratorResult<unknown>>).then(onResult, onError) : onResult(out as IteratorResult<unknown>);
  };
  const traced = {
    next: (...args: unknown[]) => step("next", args[0]),
    return: (value: unknown) => step("return", value),
    throw: (err: unknown) => step("throw", err),
    [isAsync ? Symbol.asyncIterator : Symbol.iterator]() {
      return traced;
    },
  };
  return Object.setPrototypeOf(traced, Object.getPrototypeOf(inner) as object | null) as G;
}
