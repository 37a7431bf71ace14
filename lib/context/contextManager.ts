import type { AsyncLocalStorage } from "node:async_hooks";
import { context, type Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

/**
 * The OpenTelemetry AsyncLocalStorage context manager, plus a call path for the hot loop of
 * `@observe`: a method runs with its `this` and arguments without a bound closure per call.
 */
class JudgmentContextManager extends AsyncLocalStorageContextManager {
  private readonly storage = (this as unknown as { _asyncLocalStorage: AsyncLocalStorage<Context> })._asyncLocalStorage;

  call<R>(ctx: Context, fn: (...args: unknown[]) => R, thisArg: unknown, args: unknown[]): R {
    return this.storage.run(ctx, Reflect.apply, fn, thisArg, args) as R;
  }
}

let installed = false;
let ours: JudgmentContextManager | undefined;

/**
 * Makes the active span follow `await`, timers and emitters by installing an AsyncLocalStorage
 * context manager, once per process. An app that registered its own keeps it.
 */
export function ensureContextManager(): void {
  if (installed) return;
  installed = true;
  const manager = new JudgmentContextManager();
  if (context.setGlobalContextManager(manager.enable())) ours = manager;
  else manager.disable();
}

/** `fn.apply(thisArg, args)` with `ctx` active. */
export function callInContext<R>(ctx: Context, fn: (...args: unknown[]) => R, thisArg: unknown, args: unknown[]): R {
  return ours ? ours.call(ctx, fn, thisArg, args) : context.with(ctx, fn, thisArg, ...args);
}
