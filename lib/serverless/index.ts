/**
 * `judgeval/serverless`: deliver a function's spans before the platform freezes it — by waiting
 * before the response (AWS Lambda) or by handing the flush to `waitUntil` / `after()` (Vercel,
 * Next.js, Cloudflare Workers).
 * @packageDocumentation
 */
export { withFlush, flushVia, type FlushOptions, type WaitUntil } from "./flush.js";
export { wrapLambda, wrapFetchHandler, type LambdaHandler, type ExecutionContextLike } from "./handlers.js";
