import type { StorageClass } from "../context/context-manager.js";
import { runtimeStorage } from "../context/runtime-storage.js";
import { fetchTransport } from "../pipeline/fetch-transport.js";
import type { Transport } from "../pipeline/transport.js";

/**
 * What the composition root (assemble.ts) takes from the runtime: the only differences between
 * the Node build (`lib/index.ts`) and the edge build (`lib/edge.ts`, for Cloudflare Workers and
 * the Vercel Edge runtime). Each entry chooses its platform; the default is the edge one, which
 * loads nothing the edge runtimes lack.
 */
export interface Platform {
  /** Named in messages. */
  readonly name: string;
  /** The network (and the disk, where there is one). */
  readonly transport: Transport;
  /** The runtime's `AsyncLocalStorage` class, or undefined where it has none. */
  readonly storage: () => StorageClass | undefined;
  /** Said once at init when {@link storage} finds none. */
  readonly noStorage: string;
  /** The process can exit (beforeExit, SIGTERM/SIGINT, a crash): the last flushes hook them. */
  readonly processExits: boolean;
}

/** Cloudflare Workers, the Vercel Edge runtime and other isolates: `fetch`, no disk, no process exit. */
export const EDGE: Platform = {
  name: "edge",
  transport: fetchTransport,
  storage: runtimeStorage,
  noStorage:
    "this runtime has no AsyncLocalStorage, so spans nest only within synchronous code (children made after an await become roots). " +
    'On Cloudflare Workers add compatibility_flags = ["nodejs_compat"] to wrangler.toml (see docs/runtimes.md).',
  processExits: false,
};

let current: Platform = EDGE;

/** Chosen by the package entry, before any tracer is made. */
export function usePlatform(platform: Platform): void {
  current = platform;
}

/** The platform tracers are assembled for. */
export function platform(): Platform {
  return current;
}
