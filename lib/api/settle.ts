import { SpanStatusCode, type Span } from "@opentelemetry/api";

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
 * Applies `outcome` to `result` now, or when it settles if it is a thenable, and returns `result`
 * itself: the very promise (or client promise subclass with helper methods) the function returned.
 * The side chain that watches it handles its own rejection, so it never adds an unhandled one.
 */
export function settle<R>(result: R, outcome: Outcome): R {
  if (!isThenable(result)) {
    outcome.ok(result);
    return result;
  }
  try {
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
