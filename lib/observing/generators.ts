import { context, type Context, type Span } from "@opentelemetry/api";
import { hrTime } from "@opentelemetry/core";
import type { Tracer } from "../tracer/Tracer.js";
import { Keys } from "./keys.js";
import { recordError } from "./settle.js";

/** How a traced generator reports what it yields. */
export interface GeneratorTracing {
  tracer: Tracer;
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
    const { tracer, ctx, name } = this.t;
    try {
      if (this.t.recordOutput) this.items.push(result.value);
      if (!this.t.itemSpans) return;
      const item = tracer.otelTracer.startSpan(name, { attributes: { [Keys.spanKind]: "generator_item" }, startTime: startedAt }, ctx);
      item.setAttribute(Keys.output, tracer.serialize(result.value));
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
    const { span, tracer } = this.t;
    if (this.t.recordOutput) span.setAttribute(Keys.output, tracer.serialize(this.items));
    span.end();
  }
}

/** A generator that runs every step of `inner` inside the generator span's context. */
export function traceSyncGenerator<T, R, N>(inner: Generator<T, R, N>, t: GeneratorTracing): Generator<T, R, N> {
  const state = new GeneratorSpan(t);
  const step = (method: Step, arg: unknown): IteratorResult<T, R> => {
    if (state.finished) return (inner[method] as (a: unknown) => IteratorResult<T, R>).call(inner, arg);
    const startedAt = hrTime();
    let result: IteratorResult<T, R>;
    try {
      result = context.with(t.ctx, () => (inner[method] as (a: unknown) => IteratorResult<T, R>).call(inner, arg));
    } catch (err) {
      state.onError(err);
      throw err;
    }
    if (method !== "next" && !result.done) return result;
    state.onResult(result, startedAt);
    if (method !== "next") state.finish();
    return result;
  };
  const traced = {
    next: (...args: [] | [N]) => step("next", args[0]),
    return: (value: R) => step("return", value),
    throw: (err: unknown) => step("throw", err),
    [Symbol.iterator]() {
      return traced;
    },
  };
  return Object.setPrototypeOf(traced, Object.getPrototypeOf(inner)) as Generator<T, R, N>;
}

/** The async twin of {@link traceSyncGenerator}. */
export function traceAsyncGenerator<T, R, N>(inner: AsyncGenerator<T, R, N>, t: GeneratorTracing): AsyncGenerator<T, R, N> {
  const state = new GeneratorSpan(t);
  const step = async (method: Step, arg: unknown): Promise<IteratorResult<T, R>> => {
    if (state.finished) return (inner[method] as (a: unknown) => Promise<IteratorResult<T, R>>).call(inner, arg);
    const startedAt = hrTime();
    let result: IteratorResult<T, R>;
    try {
      result = await context.with(t.ctx, () => (inner[method] as (a: unknown) => Promise<IteratorResult<T, R>>).call(inner, arg));
    } catch (err) {
      state.onError(err);
      throw err;
    }
    if (method !== "next" && !result.done) return result;
    state.onResult(result, startedAt);
    if (method !== "next") state.finish();
    return result;
  };
  const traced = {
    next: (...args: [] | [N]) => step("next", args[0]),
    return: (value: R | PromiseLike<R>) => step("return", value),
    throw: (err: unknown) => step("throw", err),
    [Symbol.asyncIterator]() {
      return traced;
    },
  };
  return Object.setPrototypeOf(traced, Object.getPrototypeOf(inner)) as AsyncGenerator<T, R, N>;
}
