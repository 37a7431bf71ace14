import type { Outcome } from "../observing/settle.js";

/**
 * The Stainless SDKs' (OpenAI, Anthropic, Together) `APIPromise`: a promise subclass that
 * only reads the response body when asked (`then`/`catch`/`finally`/`withResponse`), and can
 * hand over the raw `Response` instead (`asResponse`).
 */
interface APIPromiseLike extends PromiseLike<unknown> {
  asResponse(): Promise<unknown>;
  withResponse(): Promise<unknown>;
  catch(onrejected?: (reason: unknown) => unknown): Promise<unknown>;
  finally(onfinally?: () => void): Promise<unknown>;
}

/** True for a Stainless `APIPromise`, recognized by its helpers. */
export function isAPIPromise(value: unknown): value is APIPromiseLike {
  const p = value as Partial<APIPromiseLike> | null;
  return (
    !!p && typeof p === "object" && typeof p.then === "function" && typeof p.asResponse === "function" && typeof p.withResponse === "function"
  );
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Applies `outcome` to `promise` without changing when its body is read: the outcome attaches
 * only when the caller first asks for the parsed body (the SDK parses once and shares the
 * result, so nothing is read twice), ahead of the caller's own callbacks so that a stream is
 * instrumented before the caller sees it. A caller that only takes the raw `Response` gets the
 * outcome `raw()` once it arrives: its body is theirs to read. Returns the same object.
 */
export function observeAPIPromise<P extends APIPromiseLike>(promise: P, outcome: Outcome & { raw(): void }): P {
  const proto = Object.getPrototypeOf(promise) as Record<string, Method>;
  let parsing = false;
  const startParsing = () => {
    if (parsing) return;
    parsing = true;
    proto.then.call(promise, (value: unknown) => outcome.ok(value), (err: unknown) => outcome.fail(err));
  };
  // Helpers such as `chat.completions.parse` derive a promise with `_thenUnwrap`, which reads
  // the body through the derived one: it is observed the same way (the outcome acts once).
  if (typeof proto._thenUnwrap === "function") {
    Object.defineProperty(promise, "_thenUnwrap", {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        const derived = proto._thenUnwrap.apply(this, args);
        return isAPIPromise(derived) ? observeAPIPromise(derived, outcome) : derived;
      },
    });
  }
  for (const name of ["then", "catch", "finally", "withResponse"]) {
    Object.defineProperty(promise, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        startParsing();
        return proto[name].apply(this, args);
      },
    });
  }
  Object.defineProperty(promise, "asResponse", {
    configurable: true,
    writable: true,
    value: function (this: unknown) {
      const response = proto.asResponse.call(this) as Promise<unknown>;
      response.then(
        () => parsing || outcome.raw(),
        (err) => parsing || outcome.fail(err),
      );
      return response;
    },
  });
  return promise;
}
