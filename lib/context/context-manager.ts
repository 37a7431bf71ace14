import type { AsyncLocalStorage } from "node:async_hooks";
import { context, ROOT_CONTEXT, type Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "../otel/sdk.js";
import { state } from "./global-state.js";
import { log } from "../diag/log.js";

/**
 * OpenTelemetry's AsyncLocalStorage context manager (its emitter and function binding kept) over
 * a storage of our own, so `@observe`'s hot loop can run a method with its `this` and arguments
 * without a bound closure per call. Every method that touches the storage is overridden here:
 * nothing reads the parent's private fields.
 */
class JudgmentContextManager extends AsyncLocalStorageContextManager {
  constructor(private readonly storage: AsyncLocalStorage<Context>) {
    super();
  }

  override active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return thisArg == null
      ? this.storage.run(ctx, fn, ...args)
      : (this.storage.run(ctx, Reflect.apply, fn, thisArg, args) as ReturnType<F>);
  }

  override disable(): this {
    this.storage.disable();
    // disabled (e.g. to register another manager): the fast paths below go through the API again
    if (state.contextManager.ours === this) state.contextManager.ours = undefined;
    return this;
  }

  /** Sets `ctx` for the rest of the current async chain; `dispose()` restores the previous one. */
  attach(ctx: Context): { dispose(): void } {
    const previous = this.active();
    this.storage.enterWith(ctx);
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.storage.enterWith(previous);
      },
    };
  }

  call<R>(ctx: Context, fn: (...args: unknown[]) => R, thisArg: unknown, args: unknown[]): R {
    return this.storage.run(ctx, Reflect.apply, fn, thisArg, args) as R;
  }
}

/** What this module needs of the installed manager, whichever copy of the package installed it. */
interface Caller {
  active(): Context;
  call<R>(ctx: Context, fn: (...args: unknown[]) => R, thisArg: unknown, args: unknown[]): R;
}

/** The runtime's `AsyncLocalStorage` class, as each build finds it (tracer/platform.ts). */
export type StorageClass = new () => AsyncLocalStorage<Context>;

/**
 * Makes the active span follow `await`, timers and emitters by installing an AsyncLocalStorage
 * context manager over a storage of class `Storage`, once per process (whichever build or copy of
 * the package gets there first). An app that registered its own keeps it. Without a `Storage`
 * (the runtime has none), `missing` is said once and spans nest only within synchronous code.
 */
export function ensureContextManager(Storage: StorageClass | undefined, missing: string): void {
  const shared = state.contextManager;
  if (shared.installed) return;
  shared.installed = true;
  if (!Storage) {
    log.warn(missing);
    return;
  }
  const manager = new JudgmentContextManager(new Storage());
  if (context.setGlobalContextManager(manager.enable())) shared.ours = manager;
  else manager.disable();
}

/** The active context: straight from our manager when it is the one installed. */
export function activeContext(): Context {
  const ours = state.contextManager.ours as Caller | undefined;
  return ours ? ours.active() : context.active();
}

/** `fn.apply(thisArg, args)` with `ctx` active. */
export function callInContext<R>(ctx: Context, fn: (...args: unknown[]) => R, thisArg: unknown, args: unknown[]): R {
  const ours = state.contextManager.ours as Caller | undefined;
  return ours ? ours.call(ctx, fn, thisArg, args) : context.with(ctx, fn, thisArg, ...args);
}
