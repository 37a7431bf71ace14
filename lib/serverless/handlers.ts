import { flushVia, withFlush, type FlushOptions } from "./flush.js";

/** An AWS Lambda handler: `(event, context)` to a result or a promise of one. */
export type LambdaHandler<E, C, R> = (event: E, context: C) => R;

/**
 * Wraps an async AWS Lambda handler so the spans of each invocation are delivered before it
 * returns: Lambda freezes the process as soon as the handler's promise settles.
 */
export function wrapLambda<E, C, R>(
  handler: LambdaHandler<E, C, R>,
  options: Pick<FlushOptions, "timeoutMillis"> = {},
): LambdaHandler<E, C, Promise<Awaited<R>>> {
  return withFlush(handler, { timeoutMillis: options.timeoutMillis });
}

/** The execution context a Cloudflare Workers-style `fetch(request, env, ctx)` receives. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Wraps a Workers-style `fetch(request, env, ctx)` handler: the response is returned at once and
 * the spans' delivery is handed to `ctx.waitUntil`. Without a `ctx` the wrapper waits for it.
 */
export function wrapFetchHandler<Q, E, X extends ExecutionContextLike | undefined, R>(
  handler: (request: Q, env: E, ctx: X) => R,
  options: Pick<FlushOptions, "timeoutMillis"> = {},
): (request: Q, env: E, ctx: X) => Promise<Awaited<R>> {
  return async (request, env, ctx): Promise<Awaited<R>> => {
    try {
      return await handler(request, env, ctx);
    } finally {
      await flushVia(ctx && ((p) => ctx.waitUntil(p)), options.timeoutMillis);
    }
  };
}
