"use strict";
/**
 * Each tracing SDK set up as its documentation says, exporting to the loopback sink, with the
 * two workloads traced the way that SDK traces a function:
 *
 *   add:  sync `add(a, b)`, returning a number
 *   tool: async tool call with a 2 KB input (`{ query, i }`) and a 200-character result
 *
 * setup(variant, baseUrl) → { add(i), tool(i), flush(), info }. Peers load from bench/peers's
 * own node_modules; `ours` from the build under test, `otel-*` from the root project.
 */
const path = require("node:path");

const PEERS = path.join(__dirname, "node_modules");
const peer = (name) => require(path.join(PEERS, name));
const peerVersion = (name) => require(path.join(PEERS, name, "package.json")).version;

function add(a, b) {
  return a + b;
}

const QUERY = "q".repeat(2000);
const RESULT = "r".repeat(200);
async function searchTool(input) {
  await null;
  return { hits: 3, text: RESULT, i: input.i };
}
const toolInput = (i) => ({ query: QUERY, i });

/**
 * An OpenTelemetry provider with the stock batch processor and OTLP/proto exporter, registered
 * globally. The root project is on the 3.x line (`sdk-trace`'s TracerProvider, registered through
 * the API with the async-hooks context manager; its batch processor takes the exporter among its options); bench/peers's OpenInference on 2.x
 * (`sdk-trace-node`'s NodeTracerProvider, whose register() does the same).
 */
function otelProvider(root, url) {
  const from = (name) => require(path.join(root, name));
  const { OTLPTraceExporter } = from("@opentelemetry/exporter-trace-otlp-proto");
  const exporter = new OTLPTraceExporter({ url });
  const options = { maxQueueSize: 20480, maxExportBatchSize: 512, scheduledDelayMillis: 1000 };
  if (root === PEERS) {
    const { BatchSpanProcessor } = from("@opentelemetry/sdk-trace-base");
    const provider = new (from("@opentelemetry/sdk-trace-node").NodeTracerProvider)({ spanProcessors: [new BatchSpanProcessor(exporter, options)] });
    provider.register();
    return provider;
  }
  const { TracerProvider, BatchSpanProcessor } = from("@opentelemetry/sdk-trace");
  const api = from("@opentelemetry/api");
  const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter, ...options })] });
  api.context.setGlobalContextManager(new (from("@opentelemetry/context-async-hooks").AsyncLocalStorageContextManager)().enable());
  api.trace.setGlobalTracerProvider(provider);
  return provider;
}

async function setup(variant, baseUrl) {
  const creds = { projectName: "bench", apiUrl: baseUrl, apiKey: "bench-key", organizationId: "bench-org" };
  switch (variant) {
    case "ours": {
      const { loadJudgeval } = require("../lib/common.js");
      const { Tracer, observe, VERSION } = loadJudgeval();
      const tracer = Tracer.init(creds);
      await tracer.ready;
      const tracedAdd = observe(add);
      const tracedTool = observe(searchTool, { spanType: "tool" });
      return { add: (i) => tracedAdd(i, 1), tool: (i) => tracedTool(toolInput(i)), flush: () => tracer.forceFlush(), info: `judgeval ${VERSION} (this repo): observe(fn)` };
    }
    case "otel-bare": {
      const root = path.join(__dirname, "..", "..", "node_modules");
      const provider = otelProvider(root, `${baseUrl}/otel/v1/traces`);
      const tracer = provider.getTracer("bench");
      const version = require(path.join(root, "@opentelemetry/sdk-trace/package.json")).version;
      return {
        add: (i) =>
          tracer.startActiveSpan("add", (span) => {
            const out = add(i, 1);
            span.setAttribute("input.a", i);
            span.setAttribute("output", out);
            span.end();
            return out;
          }),
        tool: (i) =>
          tracer.startActiveSpan("searchTool", async (span) => {
            const input = toolInput(i);
            span.setAttribute("input", JSON.stringify(input));
            const out = await searchTool(input);
            span.setAttribute("output", JSON.stringify(out));
            span.end();
            return out;
          }),
        flush: () => provider.forceFlush(),
        info: `bare OpenTelemetry ${version}: startActiveSpan, attributes set by hand (tool: input and output as JSON)`,
      };
    }
    case "official": {
      const { Tracer } = peer("judgeval");
      await Tracer.init(creds);
      const tracedAdd = Tracer.observe(add);
      const tracedTool = Tracer.observe(searchTool, "tool");
      return { add: (i) => tracedAdd(i, 1), tool: (i) => tracedTool(toolInput(i)), flush: () => Tracer.forceFlush(), info: `judgeval ${peerVersion("judgeval")} from npm: Tracer.observe` };
    }
    case "langfuse": {
      const { NodeTracerProvider } = peer("@opentelemetry/sdk-trace-node");
      const { LangfuseSpanProcessor } = peer("@langfuse/otel");
      const { observe } = peer("@langfuse/tracing");
      const processor = new LangfuseSpanProcessor({ publicKey: "pk-lf-bench", secretKey: "sk-lf-bench", baseUrl });
      const provider = new NodeTracerProvider({ spanProcessors: [processor] });
      provider.register();
      const tracedAdd = observe(add, { name: "add" });
      const tracedTool = observe(searchTool, { name: "searchTool", asType: "tool" });
      return { add: (i) => tracedAdd(i, 1), tool: (i) => tracedTool(toolInput(i)), flush: () => processor.forceFlush(), info: `@langfuse/tracing ${peerVersion("@langfuse/tracing")} observe + LangfuseSpanProcessor` };
    }
    case "langsmith": {
      process.env.LANGSMITH_TRACING = "true";
      const { Client } = peer("langsmith");
      const { traceable } = peer("langsmith/traceable");
      const client = new Client({ apiUrl: baseUrl, apiKey: "ls-bench" });
      const tracedAdd = traceable(add, { name: "add", client });
      const tracedTool = traceable(searchTool, { name: "searchTool", run_type: "tool", client });
      return { add: (i) => tracedAdd(i, 1), tool: (i) => tracedTool(toolInput(i)), flush: () => client.awaitPendingTraceBatches(), info: `langsmith ${peerVersion("langsmith")} traceable` };
    }
    case "braintrust": {
      const { initLogger, wrapTraced } = peer("braintrust");
      const logger = initLogger({ projectName: "bench", apiKey: "bt-bench", appUrl: baseUrl, asyncFlush: true });
      const tracedAdd = wrapTraced(add, { name: "add" });
      const tracedTool = wrapTraced(searchTool, { name: "searchTool", type: "tool" });
      return { add: (i) => tracedAdd(i, 1), tool: (i) => tracedTool(toolInput(i)), flush: () => logger.flush(), info: `braintrust ${peerVersion("braintrust")} wrapTraced + initLogger` };
    }
    case "traceloop": {
      const traceloop = peer("@traceloop/node-server-sdk");
      traceloop.initialize({ appName: "bench", apiKey: "tl-bench", baseUrl, disableBatch: false, silenceInitializationMessage: true, instrumentModules: {} });
      return {
        // The arguments go through withTask/withTool (config, fn, ...args): only those are recorded as the span's
        // input, so a closure would leave the 2 KB input out and carry less than the others.
        add: (i) => traceloop.withTask({ name: "add" }, add, i, 1),
        tool: (i) => traceloop.withTool({ name: "searchTool" }, searchTool, toolInput(i)),
        flush: () => traceloop.forceFlush(),
        info: `@traceloop/node-server-sdk ${peerVersion("@traceloop/node-server-sdk")} withTask / withTool`,
      };
    }
    case "openinference": {
      const provider = otelProvider(PEERS, `${baseUrl}/otel/v1/traces`);
      const { traceChain, traceTool } = peer("@arizeai/openinference-core");
      const tracedAdd = traceChain(add, { name: "add" });
      const tracedTool = traceTool(searchTool, { name: "searchTool" });
      return { add: (i) => tracedAdd(i, 1), tool: (i) => tracedTool(toolInput(i)), flush: () => provider.forceFlush(), info: `@arizeai/openinference-core ${peerVersion("@arizeai/openinference-core")} traceChain / traceTool on NodeTracerProvider + OTLP/proto` };
    }
    default:
      if (variant.startsWith("llm-")) return llmSetup(variant.slice(4), baseUrl, creds);
      throw new Error(`unknown variant ${variant}`);
  }
}

/**
 * A wrapped OpenAI client (openai from bench/peers, the same version for every variant) against
 * the loopback LLM server (LLM_URL): chat(i) non-streaming, stream10(i) / stream100(i) streams of
 * 10 and 100 content chunks read to the end. `plain` is the unwrapped client, the baseline.
 */
async function llmSetup(which, baseUrl, creds) {
  const OpenAI = peer("openai").default ?? peer("openai");
  const make = () => new OpenAI({ apiKey: "sk-bench", baseURL: `${process.env.LLM_URL}/v1`, maxRetries: 0 });
  let client;
  let flush = async () => undefined;
  let info;
  switch (which) {
    case "plain":
      client = make();
      info = `openai ${peerVersion("openai")}, unwrapped`;
      break;
    case "plain-traced": {
      // The unwrapped client in a process where judgeval traces other work: on Node < 24 its
      // AsyncLocalStorage then runs promise hooks on every promise the client makes, a cost any
      // OpenTelemetry-based SDK's context brings, apart from the wrapper's own.
      const { loadJudgeval } = require("../lib/common.js");
      const { Tracer, observe } = loadJudgeval();
      const tracer = Tracer.init(creds);
      await tracer.ready;
      observe(() => 0)();
      client = make();
      flush = () => tracer.forceFlush();
      info = `openai ${peerVersion("openai")}, unwrapped, judgeval tracing other work in the process`;
      break;
    }
    case "ours": {
      const { loadJudgeval } = require("../lib/common.js");
      const { Tracer, VERSION } = loadJudgeval();
      const tracer = Tracer.init(creds);
      await tracer.ready;
      client = Tracer.wrap(make());
      flush = () => tracer.forceFlush();
      info = `judgeval ${VERSION} (this repo): Tracer.wrap`;
      break;
    }
    case "langsmith": {
      process.env.LANGSMITH_TRACING = "true";
      const { Client } = peer("langsmith");
      const { wrapOpenAI } = peer("langsmith/wrappers");
      const ls = new Client({ apiUrl: baseUrl, apiKey: "ls-bench" });
      client = wrapOpenAI(make(), { client: ls });
      flush = () => ls.awaitPendingTraceBatches();
      info = `langsmith ${peerVersion("langsmith")} wrapOpenAI`;
      break;
    }
    case "braintrust": {
      const { initLogger, wrapOpenAI } = peer("braintrust");
      const logger = initLogger({ projectName: "bench", apiKey: "bt-bench", appUrl: baseUrl, asyncFlush: true });
      client = wrapOpenAI(make());
      flush = () => logger.flush();
      info = `braintrust ${peerVersion("braintrust")} wrapOpenAI`;
      break;
    }
    case "langfuse": {
      const { NodeTracerProvider } = peer("@opentelemetry/sdk-trace-node");
      const { LangfuseSpanProcessor } = peer("@langfuse/otel");
      const { observeOpenAI } = peer("@langfuse/openai");
      const processor = new LangfuseSpanProcessor({ publicKey: "pk-lf-bench", secretKey: "sk-lf-bench", baseUrl });
      new NodeTracerProvider({ spanProcessors: [processor] }).register();
      client = observeOpenAI(make());
      flush = () => processor.forceFlush();
      info = `@langfuse/openai ${peerVersion("@langfuse/openai")} observeOpenAI + LangfuseSpanProcessor`;
      break;
    }
    default:
      throw new Error(`unknown LLM variant ${which}`);
  }
  const messages = [{ role: "user", content: "Say hello" }];
  const stream = (chunks) => async () => {
    const s = await client.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } }, { headers: { "x-chunks": String(chunks) } });
    let n = 0;
    for await (const chunk of s) n += chunk.choices.length;
    return n;
  };
  return {
    chat: () => client.chat.completions.create({ model: "gpt-4o-mini", messages }),
    stream10: stream(10),
    stream100: stream(100),
    flush,
    info,
  };
}

module.exports = { setup, PEERS, peer, peerVersion };
