import type { Outcome } from "../api/settle.js";

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
    !!p &&
    typeof p === "object" &&
    typeof p.then === "function" &&
    typeof p.asResponse === "function" &&
    typeof p.withResponse === "function"
  );
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
/**
 * What a traced call needs beyond ok/fail: `raw()` when the caller took the raw response, and
 * `failedAfter(response, err)` when a helper's transform of a response that did arrive threw.
 */
type RawOutcome = Outcome & { raw(): void; failedAfter(response: unknown, err: unknown): void };

/** Per traced promise: its outcome and whether the body is being read. */
interface Watch {
  outcome: RawOutcome;
  parsing: boolean;
}

/** Set on a traced promise only; untraced promises of the same class pass straight through. */
const WATCH = Symbol.for("judgeval.llm.apiPromise");
type Watched = { [WATCH]?: Watch };

const PARSING_METHODS = ["then", "catch", "finally", "withResponse"] as const;
/** For each APIPromise prototype, the watching prototype placed between it and traced instances. */
const watching = new WeakMap<object, object>();

/** Starts reading the body through the original `then`, the outcome first in line. */
function startParsing(promise: unknown, watch: Watch, then: Method): void {
  if (watch.parsing) return;
  watch.parsing = true;
  then.call(
    promise,
    (value: unknown) => watch.outcome.ok(value),
    (err: unknown) => watch.outcome.fail(err),
  );
}

/**
 * The watching version of an APIPromise method: reports to the instance's watch (if any), then
 * does what `original` does. `then` is the class's own, used to start reading the body.
 */
function watchingMethod(name: string, original: Method, then: Method): Method {
  if (name === "asResponse") {
    return function (this: unknown) {
      const response = original.call(this) as Promise<unknown>;
      const watch = (this as Watched)[WATCH];
      if (watch) {
        response.then(
          () => watch.parsing || watch.outcome.raw(),
          (err: unknown) => watch.parsing || watch.outcome.fail(err),
        );
      }
      return response;
    };
  }
  // Helpers such as `chat.completions.parse` derive a promise with `_thenUnwrap` and read the
  // body through it: the derived one is watched with the same outcome (which acts once). When
  // the helper's transform throws (output that does not parse), the response did arrive: its
  // usage is recorded with the error.
  if (name === "_thenUnwrap") {
    return function (this: unknown, ...args: unknown[]) {
      const watch = (this as Watched)[WATCH];
      const [transform, ...rest] = args;
      if (!watch || typeof transform !== "function") return original.apply(this, args);
      const guarded = function (this: unknown, response: unknown, ...more: unknown[]): unknown {
        try {
          return (transform as Method).call(this, response, ...more);
        } catch (err) {
          watch.outcome.failedAfter(response, err);
          throw err;
        }
      };
      const derived = original.call(this, guarded, ...rest);
      return isAPIPromise(derived) ? observeAPIPromise(derived, watch.outcome) : derived;
    };
  }
  // `await` and `.then`: the outcome goes inside the caller's own callbacks, ahead of them, so
  // reading the body adds no reaction or promise of its own.
  if (name === "then") {
    return function (this: unknown, ...args: unknown[]) {
      const watch = (this as Watched)[WATCH];
      if (!watch || watch.parsing) return original.apply(this, args);
      watch.parsing = true;
      const [onfulfilled, onrejected] = args;
      const { outcome } = watch;
      return original.call(
        this,
        (value: unknown) => {
          outcome.ok(value);
          return typeof onfulfilled === "function" ? (onfulfilled as Method)(value) : value;
        },
        (err: unknown) => {
          outcome.fail(err);
          if (typeof onrejected === "function") return (onrejected as Method)(err);
          throw err;
        },
      );
    };
  }
  return function (this: unknown, ...args: unknown[]) {
    const watch = (this as Watched)[WATCH];
    if (watch) startParsing(this, watch, then);
    return original.apply(this, args);
  };
}

const WATCHED_METHODS = [...PARSING_METHODS, "asResponse", "_thenUnwrap"];

/**
 * A prototype inheriting from `proto` with watching methods, made once per APIPromise class and
 * shared by every traced instance: no per-instance methods (which would give each promise its own
 * object shape and slow the SDK down), and the SDK's own class is left untouched.
 */
function watchingPrototype(proto: Record<string, Method>): object {
  const known = watching.get(proto);
  if (known) return known;
  const descriptors: PropertyDescriptorMap = {};
  for (const name of WATCHED_METHODS) {
    const original = proto[name];
    if (typeof original === "function")
      descriptors[name] = { value: watchingMethod(name, original, proto.then), writable: true, configurable: true };
  }
  const made = Object.create(proto, descriptors) as object;
  watching.set(proto, made);
  return made;
}

/**
 * Applies `outcome` to `promise` without changing when its body is read: the outcome attaches
 * only when the caller first asks for the parsed body (the SDK parses once and shares the
 * result, so nothing is read twice), ahead of the caller's own callbacks so that a stream is
 * instrumented before the caller sees it. A caller that only takes the raw `Response` gets the
 * outcome `raw()` once it arrives: its body is theirs to read. Returns the same object.
 */
export function observeAPIPromise<P extends APIPromiseLike>(promise: P, outcome: RawOutcome): P {
  const proto = Object.getPrototypeOf(promise) as Record<string, Method>;
  Object.setPrototypeOf(promise, watchingPrototype(proto));
  const own = promise as unknown as Record<string, Method>;
  // Some SDK versions give an instance its own helpers (e.g. openai 7's `_thenUnwrap`): watch those too.
  for (const name of WATCHED_METHODS) {
    if (Object.prototype.hasOwnProperty.call(own, name) && typeof own[name] === "function") {
      Object.defineProperty(own, name, { value: watchingMethod(name, own[name], proto.then), writable: true, configurable: true });
    }
  }
  (promise as Watched)[WATCH] = { outcome, parsing: false };
  return promise;
}
