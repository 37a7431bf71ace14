/**
 * `judgeval/mcp`: traces Model Context Protocol clients and servers built with
 * `@modelcontextprotocol/sdk`, and joins both ends into one trace through the request's `_meta`.
 * @packageDocumentation
 */
import { context, trace, type Context, type Span } from "@opentelemetry/api";
import { readOptions } from "../../api/arguments.js";
import { readTrust, type IncomingTrust } from "../../api/incoming.js";
import { callAndSettle } from "../../api/settle.js";
import { log } from "../../diag/log.js";
import { Keys } from "../../wire/keys.js";
import { recorder, recordFailure, recordValue, startSpan, type Recorder } from "../common/recorder.js";
import { contextFromMeta, metaWithTraceContext } from "./meta.js";
import { spanName, startAttributes, toolErrorText, TRACED_REQUESTS, type TracedRequest } from "./requests.js";

type Method = (this: unknown, ...args: unknown[]) => unknown;

const instrumented = new WeakSet<object>();

/** The fields of a request's `params` the spans read, copied once and defensively. */
const PARAM_KEYS = ["_meta", "name", "uri", "arguments"] as const;

/** `params` as a plain record of the fields spans read; a throwing getter or Proxy trap reads as absent. */
function paramsOf(value: unknown): Record<string, unknown> {
  return readOptions(value, PARAM_KEYS);
}

/**
 * Runs `send` in a new `tool` span for `request`, records its result (a tool's `isError: true`
 * result as a failure) and ends the span when it settles. `send` gets the span's context; if the
 * span cannot be started, `send` runs in `parent` as it would without tracing.
 */
function traced(
  recorder: Recorder,
  request: TracedRequest,
  params: Record<string, unknown>,
  parent: Context,
  send: (ctx: Context) => unknown,
): unknown {
  let span: Span;
  let ctx: Context;
  try {
    const target = request.target(params);
    span = startSpan(recorder, spanName(request, target), "tool", parent, startAttributes(request, target));
    recordValue(span, recorder, Keys.input, request.input(params));
    ctx = trace.setSpan(parent, span);
  } catch {
    return send(parent);
  }
  return callAndSettle(() => context.with(ctx, send, undefined, ctx), {
    ok(value) {
      try {
        const result = readOptions(value, RESULT_KEYS);
        recordValue(span, recorder, Keys.output, request.output(result));
        const failure = toolErrorText(result);
        if (failure !== undefined) recordFailure(span, failure);
      } catch {
        // a result that cannot be read is returned as it is, unrecorded
      }
      span.end();
    },
    fail(err) {
      recordFailure(span, err);
      span.end();
    },
  });
}

/** The fields of a result the spans read. */
const RESULT_KEYS = ["structuredContent", "content", "contents", "messages", "isError"] as const;

/**
 * Traces an MCP client (`Client` from `@modelcontextprotocol/sdk/client`): every `callTool`,
 * `readResource` and `getPrompt` becomes a `tool` span (child of the current span) with its
 * arguments and result, and carries the trace context in the request's `_meta` so that a server
 * traced with {@link traceMCPServer} continues the same trace. Returns the same client.
 */
export function traceMCPClient<C extends object>(client: C): C {
  if (instrumented.has(client)) return client;
  instrumented.add(client);
  const methods = client as unknown as Record<string, unknown>;
  for (const request of TRACED_REQUESTS) {
    const original = methods[request.clientMethod];
    if (typeof original !== "function") continue;
    methods[request.clientMethod] = function tracedRequest(this: unknown, params: unknown, ...rest: unknown[]): unknown {
      const rec = recorder();
      if (!rec || params === null || typeof params !== "object") return (original as Method).call(this, params, ...rest);
      let copy: Record<string, unknown>;
      try {
        copy = { ...params };
      } catch {
        return (original as Method).call(this, params, ...rest); // params we cannot copy go as they are, untraced
      }
      return traced(rec, request, paramsOf(copy), context.active(), () =>
        (original as Method).call(this, { ...copy, _meta: metaWithTraceContext(copy._meta) }, ...rest),
      );
    };
  }
  return client;
}

/** The object that owns `setRequestHandler`: a low-level `Server`, or an `McpServer`'s `server`. */
function protocolOf(server: object): Record<string, unknown> | undefined {
  const own = server as Record<string, unknown>;
  if (typeof own.setRequestHandler === "function") return own;
  const inner = own.server as Record<string, unknown> | undefined;
  return inner && typeof inner.setRequestHandler === "function" ? inner : undefined;
}

function alreadyHandles(protocol: Record<string, unknown>, method: string): boolean {
  try {
    (protocol.assertCanSetRequestHandler as (m: string) => void).call(protocol, method);
    return false;
  } catch {
    return true;
  }
}

/** Options of {@link traceMCPServer}: the trust rule every incoming carrier shares (see `continueTrace`). */
export type TraceMCPServerOptions = IncomingTrust;

/**
 * Traces an MCP server (`McpServer` or the low-level `Server`): each `tools/call`,
 * `resources/read` and `prompts/get` it handles runs in a `tool` span with arguments and result,
 * continuing the caller's trace when the request's `_meta` carries one. `_meta` is untrusted, as
 * HTTP headers are for `continueTrace`: the same extraction, and the same `options` (ignore the
 * caller's baggage — session, customer and user ids — or its trace context). Call it before
 * registering tools, resources and prompts. Returns the same server.
 */
export function traceMCPServer<S extends object>(server: S, options?: TraceMCPServerOptions): S {
  const protocol = protocolOf(server);
  if (!protocol) {
    log.warn("traceMCPServer: not an MCP server (no setRequestHandler); it is left untraced.");
    return server;
  }
  if (instrumented.has(protocol)) return server;
  instrumented.add(protocol);
  const trust = readTrust(options, "traceMCPServer");
  const late = TRACED_REQUESTS.filter(
    (r) => typeof protocol.assertCanSetRequestHandler === "function" && alreadyHandles(protocol, r.method),
  );
  if (late.length) {
    log.warn(
      `traceMCPServer: handlers for ${late.map((r) => r.method).join(", ")} were registered before it; call it right after creating the server so they are traced.`,
    );
  }
  const setRequestHandler = protocol.setRequestHandler as Method;
  protocol.setRequestHandler = function tracedSetRequestHandler(
    this: unknown,
    schema: unknown,
    handler: unknown,
    ...rest: unknown[]
  ): unknown {
    if (typeof handler !== "function") return setRequestHandler.call(this, schema, handler, ...rest);
    return setRequestHandler.call(this, schema, tracedHandler(handler as Method, trust), ...rest);
  };
  return server;
}

/** What tracing one request needs, read from it once; undefined when it is not traced. Never throws. */
function planFor(request: unknown): { kind: TracedRequest; rec: Recorder; params: Record<string, unknown> } | undefined {
  const fields = readOptions(request, ["method", "params"]);
  const kind = TRACED_REQUESTS.find((r) => r.method === fields.method);
  const rec = kind && recorder();
  if (!kind || !rec) return undefined;
  return { kind, rec, params: paramsOf(fields.params) };
}

/** `handler` in a span per traced request; a request it cannot read runs the handler as without tracing. */
function tracedHandler(handler: Method, trust: Required<IncomingTrust>): Method {
  return function handle(this: unknown, request: unknown, ...rest: unknown[]): unknown {
    const plan = planFor(request);
    if (!plan) return handler.call(this, request, ...rest);
    const parent = contextFromMeta(plan.params._meta, trust);
    return traced(plan.rec, plan.kind, plan.params, parent, () => handler.call(this, request, ...rest));
  };
}
