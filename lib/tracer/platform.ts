import type { StorageClass } from "../context/context-manager.js";
import type { Transport } from "../pipeline/transport.js";

/**
 * What the composition root (assemble.ts) takes from the runtime: the only differences between
 * the Node build (`lib/index.ts`) and the edge build (`lib/edge.ts`, for Cloudflare Workers and
 * the Vercel Edge runtime). The package's export conditions pick the entry and each entry hands
 * its platform in (`node-platform.ts`, `edge-platform.ts`): this module loads neither, so the
 * Node build never loads the edge transport and the edge build never loads Node's.
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

let current: Platform | undefined;

/** Chosen by the package entry, before any tracer is made. */
export function usePlatform(platform: Platform): void {
  current = platform;
}

/**
 * The platform tracers are assembled for. Every way into the package has chosen one (the
 * entries, and the Node subpaths that make tracers, which load the Node entry); only a deep import
 * of an internal file reaches here without.
 */
export function platform(): Platform {
  if (!current)
    throw new Error("judgeval: load the package through its entry (`judgeval` or a `judgeval/...` subpath), not an internal file.");
  return current;
}
