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

/** `inner`, reporting its items and its end to `observer`. `aborted` tells a cut by abort from a normal end. */
function observeIterator<T>(inner: AsyncIterator<T>, observer: StreamObserver, aborted: () => boolean): AsyncIterableIterator<T> {
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    observer.end(how);
  };
  const fail = (err: unknown): never => {
    end(isAbortError(err) ? { cancelled: true } : { cancelled: false, error: err });
    throw err;
  };
  const iterator: AsyncIterableIterator<T> = {
    async next(...args: [] | [unknown]) {
      for (;;) {
        let result: IteratorResult<T>;
        try {
          result = await inner.next(...args);
        } catch (err) {
          return fail(err);
        }
        if (result.done) {
          end({ cancelled: aborted() });
          return result;
        }
        if (ended || observer.item(result.value)) return result;
      }
    },
    async return(value?: unknown) {
      end({ cancelled: true });
      return inner.return ? inner.return(value) : { done: true, value: value as T };
    },
    async throw(err?: unknown) {
      if (!inner.throw) return fail(err);
      try {
        return await inner.throw(err);
      } catch (thrown) {
        return fail(thrown);
      }
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
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
      return observeIterator(original.call(this), observer, aborted);
    };
    return;
  }
  const original = stream[Symbol.asyncIterator];
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function (this: unknown) {
      return observeIterator(original.call(this), observer, () => false);
    },
  });
}
