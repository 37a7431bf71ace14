/**
 * `judgeval/claude-agent-sdk`: traces runs of the Claude Agent SDK
 * (`@anthropic-ai/claude-agent-sdk`) as judgment spans, from the messages its `query()` yields.
 * @packageDocumentation
 */
import { context } from "@opentelemetry/api";
import { log } from "../../diag/log.js";
import { field, str } from "../../llm/read.js";
import { recorder } from "../common/recorder.js";
import { QueryRun } from "./run.js";

/** The part of the `@anthropic-ai/claude-agent-sdk` module that is traced: its `query` function. */
export interface ClaudeAgentSDK {
  query: (...args: never[]) => unknown;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Step = IteratorResult<unknown>;
type Iterator = { next: Method; return?: Method; throw?: Method };

/** Marks a `query` this module made, so that wrapping twice traces once. */
const TRACED = Symbol.for("judgeval.claudeAgentSdk.query");

/**
 * Returns the SDK module with `query` traced (the rest untouched): each run becomes an `agent`
 * span under the span active where `query()` is called (your `@observe` method), each model
 * response an `llm` span with model, token usage and cost, each tool use a `tool` span with its
 * input and result; a subagent's responses and tools nest under the tool use that started it.
 * The SDK's session id is the judgment session id of the run's spans. Your options, hooks and
 * the messages you read are the SDK's own; without an active judgeval tracer nothing is
 * recorded.
 *
 * @example
 * import * as sdk from "@anthropic-ai/claude-agent-sdk";
 * import { wrapClaudeAgentSDK } from "judgeval/claude-agent-sdk";
 * const { query } = wrapClaudeAgentSDK(sdk);
 * for await (const message of query({ prompt: "Summarize notes.txt" })) console.log(message.type);
 */
export function wrapClaudeAgentSDK<S extends ClaudeAgentSDK>(sdk: S): S {
  const original = field(sdk, "query");
  if (typeof original !== "function") {
    log.warn("wrapClaudeAgentSDK: not the Claude Agent SDK module (no query function); it is returned untraced.");
    return sdk;
  }
  if ((original as { [TRACED]?: true })[TRACED]) return sdk;
  const query = function tracedQuery(this: unknown, params: unknown): unknown {
    return traceQuery(this, original as Method, params);
  };
  Object.defineProperty(query, TRACED, { value: true });
  return { ...sdk, query };
}

/** What is sent instead of the caller's parameters: their options with partial messages on. */
interface Plan {
  sent: Record<string, unknown>;
  prompt: unknown;
  resume: string | undefined;
  /** The caller did not ask for stream events: they are read here and not handed on. */
  hidePartial: boolean;
}

/** The caller's parameters, copied (never changed); undefined when they cannot be read. */
function planFor(params: unknown): Plan | undefined {
  try {
    if (params === null || typeof params !== "object") return undefined;
    const given = { ...(params as Record<string, unknown>) };
    const options = given.options !== null && typeof given.options === "object" ? { ...(given.options as Record<string, unknown>) } : {};
    const hidePartial = options.includePartialMessages !== true;
    // Stream events carry each response's final usage; the assistant messages only its start.
    options.includePartialMessages = true;
    return { sent: { ...given, options }, prompt: given.prompt, resume: str(options.resume), hidePartial };
  } catch {
    return undefined;
  }
}

function traceQuery(self: unknown, original: Method, params: unknown): unknown {
  const rec = recorder();
  const plan = rec && planFor(params);
  if (!rec || !plan) return original.call(self, params);
  let run: QueryRun;
  try {
    run = new QueryRun(rec, context.active(), plan.prompt, plan.resume);
  } catch {
    return original.call(self, params);
  }
  let q: unknown;
  try {
    // Started in the run's context, the SDK's own work (hooks, in-process MCP tools) is too.
    q = context.with(run.ctx, () => original.call(self, plan.sent));
  } catch (err) {
    run.finish({ error: err });
    throw err;
  }
  return instrument(q, run, plan.hidePartial);
}

/**
 * Traces the `Query` the SDK returned, in place: reading it (`for await`, `next()`) feeds the
 * run, stopping early or closing ends it, `interrupt()` is recorded. Whatever the SDK yields or
 * throws reaches the caller unchanged (stream events the caller did not ask for excepted).
 */
function instrument(q: unknown, run: QueryRun, hidePartial: boolean): unknown {
  try {
    const query = q as Record<string | symbol, unknown>;
    const own = (name: string | symbol): Method | undefined => {
      const value = query[name];
      return typeof value === "function" ? (value as Method).bind(q) : undefined;
    };
    const next = own("next");
    const iterate = own(Symbol.asyncIterator);
    if (!next || !iterate) {
      run.finish();
      return q;
    }
    const read = async (step: () => unknown): Promise<Step> => {
      for (;;) {
        let result: Step;
        try {
          result = (await step()) as Step;
        } catch (err) {
          run.finish({ error: err });
          throw err;
        }
        if (result?.done) {
          run.finish();
          return result;
        }
        run.handle(result?.value);
        if (hidePartial && isStreamEvent(result?.value)) continue;
        return result;
      }
    };
    const traced = (inner: Iterator): Iterator => ({
      next: (...args: unknown[]) => read(() => inner.next(...args)),
      ...(inner.return && { return: (...args: unknown[]) => (run.finish({ early: true }), inner.return!(...args)) }),
      ...(inner.throw && { throw: (...args: unknown[]) => (run.finish({ early: true }), inner.throw!(...args)) }),
    });
    const direct = traced({ next, return: own("return"), throw: own("throw") });
    Object.assign(query, direct);
    // `for await` reads the iterator the SDK's `Query` hands out, not the `Query` itself.
    query[Symbol.asyncIterator] = () => {
      const inner = iterate() as Iterator;
      const it = traced({ next: inner.next.bind(inner), return: inner.return?.bind(inner), throw: inner.throw?.bind(inner) });
      return Object.assign(it, { [Symbol.asyncIterator]: () => it });
    };
    const interrupt = own("interrupt");
    if (interrupt) query.interrupt = (...args: unknown[]) => (run.interrupt(), interrupt(...args));
    const close = own("close");
    if (close) query.close = (...args: unknown[]) => (run.finish({ early: true }), close(...args));
  } catch {
    // a Query that cannot be instrumented runs untraced
    run.finish();
  }
  return q;
}

/** Whether the SDK yielded a stream event (a message that cannot be read is handed on). */
function isStreamEvent(message: unknown): boolean {
  try {
    return field(message, "type") === "stream_event";
  } catch {
    return false;
  }
}
