import { runtimeStorage } from "../context/runtime-storage.js";
import { fetchTransport } from "../pipeline/fetch-transport.js";
import type { Platform } from "./platform.js";

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
