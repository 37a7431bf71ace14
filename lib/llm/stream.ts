/**
 * Observing a streamed response in place: the caller keeps the very object the SDK returned
 * (with its helpers), and every way of reading it — `for await`, `.tee()`, `.toReadableStream()`
 * — goes through one observed iterator.
 */

/** How a stream's reading ended. */
export interface StreamEnd {
  /** The consumer stopped early: `break`/`return()`, or the request was aborted. */
  cancelled: boolean;
  /** The error the stream failed with, when it did. */
  error?: unknown;
}

/** Receives a stream's items and its end (at most once). */
export interface StreamObserver {
  /** Sees one item; false hides it from the consumer. Must not throw. */
  item(value: unknown): boolean;
  end(how: StreamEnd): void;
}

function isAbortError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "APIUserAbortError";
}

/**
 * `inner`, reporting its items and its end to `observer`. `aborted` tells a cut by abort from a
 * normal end. Per item it adds one reaction to the inner promise and no closure: a stream of
 * thousands of chunks costs little more than the bare one.
 */
class ObservedIterator<T> implements AsyncIterableIterator<T> {
  private ended = false;
  private readonly onResult = (result: IteratorResult<T>): IteratorResult<T> | Promise<IteratorResult<T>> => {
    if (result.done) {
      this.end({ cancelled: this.aborted() });
      return result;
    }
    // an item the observer hides: the consumer gets the next one instead
    return this.ended || this.observer.item(result.value) ? result : this.pull();
  };
  private readonly onError = (err: unknown): never => this.fail(err);
  /** The argument of the last `next` call (a generator's sent value), when it had one. */
  private sent: { value: unknown } | undefined;

  constructor(
    private readonly inner: AsyncIterator<T>,
    private readonly observer: StreamObserver,
    private readonly aborted: () => boolean,
  ) {}

  private end(how: StreamEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.observer.end(how);
  }

  /** Ends on `err` and gives it back, to throw or reject with. */
  private endWith(err: unknown): unknown {
    this.end(isAbortError(err) ? { cancelled: true } : { cancelled: false, error: err });
    return err;
  }

  private fail(err: unknown): never {
    throw this.endWith(err);
  }

  next(...args: [] | [unknown]): Promise<IteratorResult<T>> {
    this.sent = args.length === 0 ? undefined : { value: args[0] };
    return this.pull();
  }

  /** The inner iterator's next item, observed: one reaction on its promise and no allocation of ours. */
  private pull(): Promise<IteratorResult<T>> {
    let pending: Promise<IteratorResult<T>>;
    try {
      pending = this.sent === undefined ? this.inner.next() : this.inner.next(this.sent.value);
    } catch (err) {
      return Promise.reject(this.endWith(err));
    }
    return Promise.resolve(pending).then(this.onResult, this.onError);
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    this.end({ cancelled: true });
    return this.inner.return ? this.inner.return(value) : { done: true, value: value as T };
  }

  async throw(err?: unknown): Promise<IteratorResult<T>> {
    if (!this.inner.throw) return this.fail(err);
    try {
      return await this.inner.throw(err);
    } catch (thrown) {
      return this.fail(thrown);
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

interface StainlessStream {
  iterator: () => AsyncIterator<unknown>;
  controller?: { signal?: AbortSignal };
}

function isStainlessStream(value: object): value is StainlessStream {
  return typeof (value as Partial<StainlessStream>).iterator === "function";
}

/** True for values a streamed call may return: async iterables. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

/**
 * Makes `stream` report to `observer` without replacing it. The Stainless SDKs' `Stream`
 * (OpenAI, Anthropic, Together) reads everything through its `iterator` property, so that is
 * where the observer goes; any other async iterable (a Google GenAI async generator) gets an
 * own `[Symbol.asyncIterator]`.
 */
export function instrumentStream(stream: AsyncIterable<unknown>, observer: StreamObserver): void {
  if (isStainlessStream(stream)) {
    const original = stream.iterator;
    const aborted = () => stream.controller?.signal?.aborted === true;
    stream.iterator = function (this: unknown) {
      return new ObservedIterator(original.call(this), observer, aborted);
    };
    return;
  }
  const original = stream[Symbol.asyncIterator];
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function (this: unknown) {
      return new ObservedIterator(original.call(this), observer, () => false);
    },
  });
}
