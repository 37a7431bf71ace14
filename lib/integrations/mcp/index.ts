/**
 * `judgeval/mcp`: traces Model Context Protocol clients and servers built with
 * `@modelcontextprotocol/sdk`, and joins both ends into one trace through the request's `_meta`.
 * @packageDocumentation
 */
import { context, trace, type Context } from "@opentelemetry/api";
import { callAndSettle } from "../../api/settle.js";
import { log } from "../../diag/log.js";
import { Keys } from "../../wire/keys.js";
import { recorder, recordFailure, recordValue, startSpan, type Recorder } from "../common/recorder.js";
import { contextFromMeta, metaWithTraceContext } from "./meta.js";
import { asRecord, spanName, startAttributes, toolErrorText, TRACED_REQUESTS, type TracedRequest } from "./requests.js";

type Method = (this: unknown, ...args: unknown[]) => unknown;

const instrumented = new WeakSet<object>();

/**
 * Runs `send` in a new `tool` span for `request`, records its result (a tool's `isError: true`
 * result as a failure) and ends the span when it settles. `send` gets the span's context.
 */
function traced(
  rec: Recorder,
  request: TracedRequest,
  params: Record<string, unknown>,
  parent: Context,
  send: (ctx: Context) => unknown,
): unknown {
  const target = request.target(params);
  const span = startSpan(rec, spanName(request, target), "tool", parent, startAttributes(request, target));
  recordValue(span, rec, Keys.input, request.input(params));
  const ctx = trace.setSpan(parent, span);
  return callAndSettle(() => context.with(ctx, send, undefined, ctx), {
    ok(value) {
      const result = asRecord(value);
      recordValue(span, rec, Keys.output, request.output(result));
      const failure = toolErrorText(result);
      if (failure !== undefined) recordFailure(span, failure);
      span.end();
    },
    fail(err) {
      recordFailure(span, err);
      span.end();
    },
  });
}

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
      const fields = params !== null && typeof params === "object" ? (params as Record<string, unknown>) : undefined;
      if (!rec || !fields) return (original as Method).call(this, params, ...rest);
      return traced(rec, request, fields, context.active(), () =>
        (original as Method).call(this, { ...fields, _meta: metaWithTraceContext(fields._meta) }, ...rest),
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

/**
 * Traces an MCP server (`McpServer` or the low-level `Server`): each `tools/call`,
 * `resources/read` and `prompts/get` it handles runs in a `tool` span with arguments and result,
 * continuing the caller's trace when the request's `_meta` carries one. Call it before
 * registering tools, resources and prompts. Returns the same server.
 */
export function traceMCPServer<S extends object>(server: S): S {
  const protocol = protocolOf(server);
  if (!protocol) {
    log.warn("traceMCPServer: not an MCP server (no setRequestHandler); it is left untraced.");
    return server;
  }
  if (instrumented.has(protocol)) return server;
  instrumented.add(protocol);
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
    return setRequestHandler.call(this, schema, tracedHandler(handler as Method), ...rest);
  };
  return server;
}

function tracedHandler(handler: Method): Method {
  return function handle(this: unknown, request: unknown, ...rest: unknown[]): unknown {
    const fields = asRecord(request);
    const kind = TRACED_REQUESTS.find((r) => r.method === fields.method);
    const rec = kind && recorder();
    if (!kind || !rec) return handler.call(this, request, ...rest);
    const params = asRecord(fields.params);
    const parent = contextFromMeta(params._meta) ?? context.active();
    return traced(rec, kind, params, parent, () => handler.call(this, request, ...rest));
  };
}
