/**
 * Watching a promise that must come back as itself (a subclass with helpers, a promise with its
 * own properties) without changing how the app fails. The watch marks the promise handled, so
 * the caller's use of it is tracked instead: any method called on it (`then`, `catch`, `finally`,
 * `await`, a helper such as `withResponse`) means the caller took it over. A rejection the caller
 * has not taken over is raised again as a fresh rejected promise with the same reason, which Node
 * then reports exactly as it would have reported the original (same reason, same exit, same
 * warnings); taken over later, that promise is handled then, as the original would have been.
 */

/** Per watched promise: whether the caller took it over, and the rejection raised in its place. */
interface Watch {
  takenOver: boolean;
  raised: Promise<never> | undefined;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** What to do once the promise settles (the `Outcome` of settle.ts). Neither method throws. */
interface Watcher {
  ok(value: unknown): void;
  fail(err: unknown): void;
}

const watches = new WeakMap<object, Watch>();
/** For each promise prototype, the watching prototype placed between it and watched instances. */
const watching = new WeakMap<object, object>();
const ignore = (): undefined => undefined;

/**
 * A native promise's stand-in constructor: `await` and `Promise.resolve` only call `then` on a
 * promise whose constructor is not `Promise`; its species keeps derived promises plain.
 */
class WatchedPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }
}

function takeOver(promise: unknown): void {
  const watch = watches.get(promise as object);
  if (!watch || watch.takenOver) return;
  watch.takenOver = true;
  // handled now, as the caller's handler would have handled the original
  if (watch.raised) void watch.raised.then(undefined, ignore);
}

/** The method names a caller may use on instances of `proto`: its own chain's methods and the promise ones. */
function methodNames(proto: object): Set<string> {
  const names = new Set<string>(["then", "catch", "finally"]);
  for (
    let p: object | null = proto;
    p && p !== Promise.prototype && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === "constructor") continue;
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d && typeof d.value === "function") names.add(name);
    }
  }
  return names;
}

/** One per prototype, shared by every watched instance: no per-instance methods or shapes. */
function watchingPrototype(proto: Record<string, unknown>): object {
  const known = watching.get(proto);
  if (known) return known;
  const descriptors = new Map<string, PropertyDescriptor>();
  for (const name of methodNames(proto)) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    const method = function (this: unknown, ...args: unknown[]): unknown {
      takeOver(this);
      return (original as Method).apply(this, args);
    };
    Object.defineProperty(method, "name", { value: name });
    descriptors.set(name, { value: method, writable: true, configurable: true });
  }
  if (proto.constructor === Promise) descriptors.set("constructor", { value: WatchedPromise, writable: true, configurable: true });
  const made = Object.create(proto, Object.fromEntries(descriptors)) as object;
  watching.set(proto, made);
  return made;
}

/** Applies `outcome` when `promise` settles and returns `promise` itself, its failure semantics kept. */
export function keepUnhandled<P extends Promise<unknown>>(promise: P, outcome: Watcher): P {
  const proto = Object.getPrototypeOf(promise) as Record<string, unknown>;
  const then = proto.then as Method;
  const watch: Watch = { takenOver: false, raised: undefined };
  watches.set(promise, watch);
  then.call(
    promise,
    (value: unknown) => outcome.ok(value),
    (err: unknown) => {
      outcome.fail(err);
      if (!watch.takenOver) watch.raised = Promise.reject(err);
    },
  );
  // watched from here on: our own `then` above is not the caller's
  try {
    Object.setPrototypeOf(promise, watchingPrototype(proto));
  } catch {
    // a frozen promise cannot be watched: it stays handled by the watch
    watch.takenOver = true;
  }
  return promise;
}
