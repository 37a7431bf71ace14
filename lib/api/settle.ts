import { SpanStatusCode, type Span } from "@opentelemetry/api";
import { keepUnhandled } from "./unhandled.js";

/** A message for any thrown value, without trusting its `toString`. */
function errorMessage(err: unknown): string {
  try {
    if (err instanceof Error) return err.message;
    return typeof err === "string" ? err : String(err);
  } catch {
    return "unprintable error";
  }
}

/** Status ERROR plus one exception event. Never throws. */
export function recordError(span: Span, err: unknown): void {
  try {
    const message = errorMessage(err);
    if (err instanceof Error) span.recordException(err);
    else span.recordException({ name: "Error", message });
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  } catch {
    // a hostile error object must not turn into a second failure in user code
  }
}

/** What happens to the span(s) of a call once its result is known. Neither method throws. */
export interface Outcome {
  ok(value: unknown): void;
  fail(err: unknown): void;
}

/** The usual outcome: `onValue` records the value, then the span ends; a failure is recorded first. */
export function endSpan(span: Span, onValue?: (value: unknown) => void): Outcome {
  return {
    ok(value) {
      try {
        onValue?.(value);
      } catch {
        // recording the value must not change what the caller gets
      }
      span.end();
    },
    fail(err) {
      recordError(span, err);
      span.end();
    },
  };
}

/** True for values with a callable `then`, read defensively. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  try {
    return typeof (value as { then?: unknown }).then === "function";
  } catch {
    return false;
  }
}

/**
 * A native promise with nothing of its own to keep: its prototype is `Promise.prototype` and it
 * has no enumerable own property (`util.promisify(exec)`'s `child`, say). Read without allocating.
 */
function isPlainPromise(value: object): value is Promise<unknown> {
  if (Object.getPrototypeOf(value) !== Promise.prototype) return false;
  for (const _key in value) return false;
  return true;
}

/**
 * Applies `outcome` to `result` now, or when it settles if it is a thenable, and never changes
 * how the app fails: a rejection nobody handles is reported by Node as it would be unobserved
 * (same reason, same exit), one the caller handles is reported nowhere.
 *
 * Watching a promise marks it handled, so a plain native promise is watched by the promise
 * returned in its place: it settles as the original, one step later, and carries the rejection
 * to the caller, handled or not. That promise is the one the watch makes anyway, so this costs
 * no allocation. Anything with an identity to keep (a promise subclass with helpers such as an
 * SDK's `APIPromise`, a promise with its own properties) comes back itself: see `keepUnhandled`.
 */
export function settle<R>(result: R, outcome: Outcome): R {
  if (!isThenable(result)) {
    outcome.ok(result);
    return result;
  }
  try {
    if (isPlainPromise(result))
      return result.then(
        (value: unknown) => {
          outcome.ok(value);
          return value;
        },
        (err: unknown) => {
          outcome.fail(err);
          throw err;
        },
      ) as R;
    if (result instanceof Promise) return keepUnhandled(result, outcome) as R;
    // any other thenable: Node tracks no rejection of it
    result.then(
      (value: unknown) => outcome.ok(value),
      (err: unknown) => outcome.fail(err),
    );
  } catch (err) {
    outcome.fail(err);
  }
  return result;
}

/** Calls `thunk`, applying `outcome` to what it returns or throws; rethrows unchanged. */
export function callAndSettle<R>(thunk: () => R, outcome: Outcome): R {
  let result: R;
  try {
    result = thunk();
  } catch (err) {
    outcome.fail(err);
    throw err;
  }
  return settle(result, outcome);
}
