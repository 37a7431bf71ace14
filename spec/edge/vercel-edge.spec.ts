/**
 * The Vercel Edge runtime (`edge-runtime` from npm, the runtime `next dev` and Vercel's builds
 * run edge functions in): a route handler bundled for the `edge-light` condition, given what
 * Vercel gives an edge function besides the web globals — `AsyncLocalStorage`, the `buffer`,
 * `events` and `async_hooks` modules, `process.env` — and nothing else of Node's. Spans are
 * handed to `waitUntil` and checked as the loopback backend receives them.
 */
import * as hooks from "node:async_hooks";
import * as buffer from "node:buffer";
import * as events from "node:events";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { useBackend } from "../support/backend.js";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { bundleApp, byName, EDGE_NODE_MODULES, RECORDED_COST, runtimePath, sdkFiles, type BundleOptions } from "./support.js";

const ctx = useBackend();
const PROJECT = `vercel-edge-${process.pid}`;
/** Next.js bundles edge routes with these conditions. */
const CONDITIONS = ["edge-light", "worker", "browser"];
const MODULES: Record<string, unknown> = { "node:async_hooks": hooks, "node:buffer": buffer, "node:events": events };

interface EdgeRuntimeModule {
  EdgeRuntime: new (options: { initialCode: string; extend: (context: Record<string, unknown>) => Record<string, unknown> }) => {
    dispatchFetch(url: string, init: RequestInit): Promise<Response & { waitUntil(): Promise<unknown> }>;
    evaluate(code: string): unknown;
  };
}

let provider: Loopback | undefined;

beforeAll(async () => {
  provider = await startResponsesReplay();
});

afterAll(async () => {
  await provider?.close();
});

/** What the runtime gives besides the web globals; `messages` collects what the route logs. */
interface Given {
  AsyncLocalStorage?: unknown;
  modules: Record<string, unknown>;
  messages?: string[];
}

/**
 * The route `fixture`, bundled for `edge-light` (only the Node modules the edge has, and one copy of
 * the SDK: the ES build that `judgeval` resolves to there), evaluated in a fresh runtime.
 */
async function startRoute(
  given: Given,
  fixture = "edge-route.ts",
  platform?: BundleOptions["platform"],
): Promise<InstanceType<EdgeRuntimeModule["EdgeRuntime"]>> {
  const { outfile, nodeModules, inputs } = await bundleApp(fixture, { conditions: CONDITIONS, format: "cjs", platform });
  expect(nodeModules).toEqual(EDGE_NODE_MODULES);
  const sdk = sdkFiles(inputs);
  expect(sdk.filter((file) => !file.startsWith("dist/esm/"))).toEqual([]);
  expect(sdk).toContain("dist/esm/edge.js");
  // the route module evaluated as Next.js's edge bundles do: its Node modules come from the runtime's `require`
  const initialCode = `var route = ((module) => { ${readFileSync(outfile, "utf8")}; return module.exports; })({ exports: {} });
addEventListener("fetch", (event) => event.respondWith(route.POST(event.request, (p) => event.waitUntil(p))));`;
  const { EdgeRuntime } = createRequire(__filename)(runtimePath("edge-runtime")) as EdgeRuntimeModule;
  const { tracerConfig } = ctx;
  const say = (...args: unknown[]) => given.messages?.push(args.join(" "));
  return new EdgeRuntime({
    initialCode,
    extend: (context) =>
      Object.assign(context, {
        AsyncLocalStorage: given.AsyncLocalStorage,
        require: (name: string) => given.modules[name],
        ...(given.messages && { console: { ...console, warn: say, error: say } }),
        process: {
          env: {
            PROJECT,
            OPENAI_URL: provider!.url,
            JUDGMENT_API_URL: tracerConfig.apiUrl,
            JUDGMENT_API_KEY: tracerConfig.apiKey,
            JUDGMENT_ORG_ID: tracerConfig.organizationId,
          },
        },
      }),
  });
}

describe("the Vercel Edge runtime (edge-runtime)", () => {
  it("a route handler's trace arrives whole through waitUntil, continuing the caller's trace", async () => {
    const runtime = await startRoute({ AsyncLocalStorage: hooks.AsyncLocalStorage, modules: MODULES });
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const res = await runtime.dispatchFetch("http://edge.local/api/agent", {
      method: "POST",
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
      body: "What is the weather in San Francisco?",
    });
    expect(await res.json()).toEqual({ answer: "sunny in San Francisco" });
    await res.waitUntil();

    const spans = await ctx.backend.waitForSpans((all) => all.filter((s) => s.ended).length >= 4, { traceId, timeoutMs: 20000 });
    const { run, weather, lookup, OPENAI_API_CALL: llm } = byName(spans);
    expect(run).toMatchObject({ spanType: "agent", parentSpanId: callerSpan });
    expect(weather).toMatchObject({ spanType: "tool", parentSpanId: run.spanId });
    expect(lookup.parentSpanId).toBe(weather.spanId);
    expect(llm).toMatchObject({ spanType: "llm", parentSpanId: run.spanId });
    expect(llm.attributes).toMatchObject({ "judgment.usage.non_cached_input_tokens": 45, "judgment.usage.output_tokens": 24 });
    expect(llm.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(RECORDED_COST, 10);
  });

  it("`judgeval/langchain` and `judgeval/serverless` share the edge build's tracer: the chain nests, withFlush delivers", async () => {
    // LangChain's tracing client swaps its Node modules out through the `browser` field, as webpack applies it for edge routes.
    const runtime = await startRoute(
      { AsyncLocalStorage: hooks.AsyncLocalStorage, modules: MODULES },
      "edge-langchain-route.ts",
      "browser",
    );
    const traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
    const res = await runtime.dispatchFetch("http://edge.local/api/shout", {
      method: "POST",
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b8-01` },
      body: "hello",
    });
    expect(await res.json()).toEqual({ answer: "HELLO!" });
    // withFlush delivered before the response: no batch interval (an hour) could have.
    const { route, shout } = byName(ctx.backend.spans({ traceId }));
    expect(route).toMatchObject({ parentSpanId: "00f067aa0ba902b8" });
    expect(shout).toMatchObject({
      parentSpanId: route.spanId,
      attributes: expect.objectContaining({ "judgment.output": '{"output":"HELLO!"}' }),
    });
    // the hour-long batch timer would keep the test process running
    await runtime.evaluate("route.shutdown()");
  });

  it("without AsyncLocalStorage (a bundler stubbed async_hooks), init says so and the route still answers", async () => {
    const messages: string[] = [];
    const runtime = await startRoute({ modules: { ...MODULES, "node:async_hooks": {} }, messages });
    const res = await runtime.dispatchFetch("http://edge.local/api/agent", {
      method: "POST",
      body: "What is the weather in San Francisco?",
    });
    expect(await res.json()).toEqual({ answer: "sunny in San Francisco" });
    await res.waitUntil();
    expect(messages.filter((m) => m.includes("no AsyncLocalStorage"))).toEqual([expect.stringContaining("nodejs_compat")]);
  });
});
