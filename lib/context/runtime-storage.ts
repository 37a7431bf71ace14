import * as hooks from "node:async_hooks";
import type { StorageClass } from "./context-manager.js";

/**
 * The edge runtimes' `AsyncLocalStorage`: the global the Vercel Edge runtime defines, else
 * `node:async_hooks`' (Cloudflare Workers with `nodejs_compat`). Read through the namespace, so a
 * bundler that stubs the module with an empty one leaves undefined here rather than a failed import.
 */
export function runtimeStorage(): StorageClass | undefined {
  const found =
    (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ?? (hooks as { AsyncLocalStorage?: unknown }).AsyncLocalStorage;
  return typeof found === "function" ? (found as StorageClass) : undefined;
}
