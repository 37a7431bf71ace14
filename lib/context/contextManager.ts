import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

let installed = false;

/**
 * Makes the active span follow `await`, timers and emitters by installing an AsyncLocalStorage
 * context manager, once per process. An app that registered its own keeps it.
 */
export function ensureContextManager(): void {
  if (installed) return;
  installed = true;
  const manager = new AsyncLocalStorageContextManager();
  if (context.setGlobalContextManager(manager.enable())) return;
  manager.disable();
}
