/**
 * judgeval for Cloudflare Workers, the Vercel Edge runtime and other isolates (the package's
 * `workerd`, `edge-light` and `worker` export conditions): the same API as the Node build, with
 * spans sent through `fetch`, context through the runtime's `AsyncLocalStorage`, and no disk spool
 * or exit signals. Deliver a request's spans with `ctx.waitUntil(Tracer.forceFlush())` or
 * `judgeval/serverless` (docs/runtimes.md).
 * @packageDocumentation
 */
import { usePlatform } from "./tracer/platform.js";
import { EDGE } from "./tracer/edge-platform.js";

usePlatform(EDGE);

export * from "./public-api.js";
