"use strict";
/**
 * The load benchmark's variants, shared by the server (bench/load/server.js) and the CPU
 * attribution (bench/load/attribute.js): each gives the agent its `observe` (a decorator
 * factory) and model client, and a flush.
 *
 *   plain        no tracing: the decorator returns the method as it is, the client is OpenAI's;
 *   otel         bare OpenTelemetry: @opentelemetry/sdk-trace 3.x, a BatchSpanProcessor with
 *                judgeval's batching settings and the OTLP/proto exporter to the sink; each method
 *                and each model call in a span with a few attributes, as by hand;
 *   judgeval     this repository's build: Tracer.init exporting to the sink, @observe, the client
 *                wrapped with Tracer.wrap.
 * Steps of the attribution, each adding one part to the one before:
 *   context      plain with OpenTelemetry's AsyncLocalStorage context manager: every method and
 *                model call runs in `context.with`, no span (what propagation alone costs);
 *   otel-spans   otel without a span processor: spans made and ended, nothing recorded further;
 *   judgeval-local  judgeval with export off (no API key): spans made and recorded, not sent.
 */

function openai(providerUrl) {
  const { default: OpenAI } = require("openai");
  return new OpenAI({ apiKey: "bench-key", baseURL: `${providerUrl}/v1`, maxRetries: 0 });
}

/** The variant's `{ observe, client, flush }`; its spans are counted at the sink under `tag`. */
async function setup(variant, providerUrl, sinkUrl, tag = variant) {
  switch (variant) {
    case "plain":
      return { observe: () => (method) => method, client: openai(providerUrl), flush: async () => {} };
    case "context":
      return contextSetup(providerUrl);
    case "otel":
    case "otel-spans":
      return otelSetup(providerUrl, variant === "otel" ? `${sinkUrl}/v/${tag}` : undefined);
    case "judgeval":
    case "judgeval-local":
      return judgevalSetup(providerUrl, variant === "judgeval" ? `${sinkUrl}/v/${tag}` : undefined);
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

/** `apiUrl`: the sink's address for this variant; none: export off. */
async function judgevalSetup(providerUrl, apiUrl) {
  const { loadJudgeval } = require("../lib/common.js");
  const { Tracer, observe } = loadJudgeval();
  const tracer = Tracer.init(
    apiUrl
      ? { projectName: "load", apiUrl, apiKey: "bench-key", organizationId: "bench-org" }
      : { projectName: "load", apiUrl: "http://127.0.0.1:9", apiKey: "", organizationId: "" },
  );
  await tracer.ready;
  if (apiUrl && !tracer.projectId) throw new Error("the project did not resolve against the sink");
  return { observe, client: Tracer.wrap(openai(providerUrl)), flush: () => tracer.forceFlush() };
}

/** `fn` run by `run`; a promise result calls `settle` when it settles, as a span would end. */
function settled(result, ok, failed) {
  if (result && typeof result.then === "function") return result.then(ok, failed);
  return ok(result);
}

function contextSetup(providerUrl) {
  const { context, ROOT_CONTEXT, createContextKey } = require("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const key = createContextKey("bench");
  const inContext = (name, fn) =>
    context.with((context.active() ?? ROOT_CONTEXT).setValue(key, name), () =>
      settled(
        fn(),
        (value) => value,
        (err) => {
          throw err;
        },
      ),
    );
  const observe = () => (method, ctx) =>
    function (...args) {
      return inContext(String(ctx.name), () => method.apply(this, args));
    };
  const raw = openai(providerUrl);
  const client = { chat: { completions: { create: (request) => inContext("chat", () => raw.chat.completions.create(request)) } } };
  return { observe, client, flush: async () => {} };
}

/** `baseUrl`: the sink's address for this variant; none: no span processor. */
function otelSetup(providerUrl, baseUrl) {
  const { context, SpanStatusCode } = require("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
  const { BatchSpanProcessor, TracerProvider } = require("@opentelemetry/sdk-trace");
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-proto");
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const spanProcessors = baseUrl
    ? [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${baseUrl}/v1/traces` }),
          maxQueueSize: 20480,
          maxExportBatchSize: 512,
          scheduledDelayMillis: 1000,
        }),
      ]
    : [];
  const provider = new TracerProvider({ spanProcessors });
  const tracer = provider.getTracer("load");
  const failed = (span, err) => {
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    throw err;
  };
  /** `fn` in an active span named `name`; a promise result ends the span when it settles. */
  const inSpan = (name, attributes, fn) =>
    tracer.startActiveSpan(name, { attributes }, (span) => {
      let result;
      try {
        result = fn(span);
      } catch (err) {
        failed(span, err);
      }
      return settled(
        result,
        (value) => {
          span.end();
          return value;
        },
        (err) => failed(span, err),
      );
    });
  const observe =
    ({ spanType }) =>
    (method, ctx) =>
      function (...args) {
        return inSpan(String(ctx.name), { "span.type": spanType }, () => method.apply(this, args));
      };
  const raw = openai(providerUrl);
  const client = {
    chat: {
      completions: {
        create: (request) =>
          inSpan("chat", { "gen_ai.operation.name": "chat", "gen_ai.request.model": request.model }, async (span) => {
            const response = await raw.chat.completions.create(request);
            span.setAttribute("gen_ai.response.model", response.model);
            span.setAttribute("gen_ai.usage.input_tokens", response.usage?.prompt_tokens ?? 0);
            span.setAttribute("gen_ai.usage.output_tokens", response.usage?.completion_tokens ?? 0);
            return response;
          }),
      },
    },
  };
  return { observe, client, flush: () => provider.forceFlush() };
}

module.exports = { setup };
