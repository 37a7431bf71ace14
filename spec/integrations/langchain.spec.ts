import { ChatOpenAI, convertCompletionsMessageToBaseMessage, convertMessagesToCompletionsMessageParams } from "@langchain/openai";
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import OpenAI from "openai";
import { tool } from "@langchain/core/tools";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { BaseRetriever } from "@langchain/core/retrievers";
import { Document } from "@langchain/core/documents";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { END, MemorySaver, MessagesAnnotation, START, StateGraph, interrupt } from "@langchain/langgraph";
import { z } from "zod";
import { Tracer } from "../../lib/index.js";
import { JudgevalCallbackHandler } from "../../lib/integrations/langchain/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";
import { usd } from "../llm/support.js";
import { CHAT_ANSWER, CHAT_TOOL_CALL, PRICES, RESPONSE_CACHED } from "./support/recordings.js";
import { expectAllPlayed, startReplayServer, type ReplayServer } from "./support/replay.js";
import { outline } from "./support/tree.js";

// The prebuilt agent lives at a subpath this project's TypeScript settings (node10) cannot see.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createReactAgent } = require("@langchain/langgraph/prebuilt") as typeof import("@langchain/langgraph/dist/prebuilt/index.js");

const ctx = useBackend();
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
afterEach(() => expectAllPlayed(server));

const chatModel = (fields: { streaming?: boolean } = {}) =>
  new ChatOpenAI({ model: "gpt-4o", apiKey: "sk-test", configuration: { baseURL: `${server.url}/v1` }, maxRetries: 0, ...fields });

function weatherTool(work: (location: string) => Promise<string> = async (l) => `Sunny in ${l}`) {
  return tool(async ({ location }) => work(location), {
    name: "get_weather",
    description: "Current weather of a city",
    schema: z.object({ location: z.string() }),
  });
}

type WrappedCallOptions = BaseChatModelCallOptions & { tools?: OpenAI.ChatCompletionTool[] };

/** A chat model of the app's own over an OpenAI client (here a wrapped one): Chat Completions, usage reported. */
class ClientChatModel extends BaseChatModel<WrappedCallOptions> {
  constructor(private readonly client: OpenAI) {
    super({});
  }

  _llmType(): string {
    return "client-chat";
  }

  override bindTools(tools: BindToolsInput[]) {
    return this.withConfig({ tools: tools.map((t) => convertToOpenAITool(t) as OpenAI.ChatCompletionTool) });
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4o",
      messages: convertMessagesToCompletionsMessageParams({ messages }),
      ...(options.tools?.length ? { tools: options.tools } : {}),
    });
    const message = convertCompletionsMessageToBaseMessage({
      message: completion.choices[0].message,
      rawResponse: completion,
    }) as AIMessage;
    const usage = completion.usage!;
    message.usage_metadata = {
      input_tokens: usage.prompt_tokens,
      output_tokens: usage.completion_tokens,
      total_tokens: usage.total_tokens,
    };
    message.response_metadata = { model_name: completion.model };
    return { generations: [{ text: completion.choices[0].message.content ?? "", message }] };
  }
}

/** A tool-calling agent graph built by hand: a model node, a tools node, a loop between them. */
function agentGraph(getWeather = weatherTool(), chat: Pick<BaseChatModel, "bindTools"> = chatModel()) {
  const model = chat.bindTools!([getWeather]);
  return (
    new StateGraph(MessagesAnnotation)
      .addNode("model", async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addNode("tools", async (state) => {
        const last = state.messages[state.messages.length - 1] as AIMessage;
        const results = await Promise.all((last.tool_calls ?? []).map((call) => getWeather.invoke(call)));
        return { messages: results };
      })
      .addEdge(START, "model")
      // The routing function runs as LangGraph's unnamed RunnableLambda inside the node before it.
      .addConditionalEdges("model", (state) =>
        (state.messages[state.messages.length - 1] as AIMessage).tool_calls?.length ? "tools" : END,
      )
      .addEdge("tools", "model")
      .compile()
  );
}

const question = { messages: [{ role: "user", content: "What's the weather in Shanghai?" }] };
const GPT_4O = PRICES["gpt-4o"];

describe("JudgevalCallbackHandler", () => {
  it("traces a LangGraph agent under the caller's span: graph, nodes, chat models with usage and cost, tools", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL, CHAT_ANSWER);
    const handler = new JudgevalCallbackHandler();
    const graph = agentGraph();
    const answer = await Tracer.observe(async function caller() {
      const state = await graph.invoke(question, { callbacks: [handler] });
      return state.messages[state.messages.length - 1].content;
    })();
    expect(answer).toBe(CHAT_ANSWER.choices[0].message.content);

    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual([
      "caller (span)",
      "  LangGraph (agent)",
      "    model (span)",
      "      ChatOpenAI (llm)",
      "      RunnableLambda (span)",
      "    tools (span)",
      "      get_weather (tool)",
      "    model (span)",
      "      ChatOpenAI (llm)",
      "      RunnableLambda (span)",
    ]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const [first, second] = spans.filter((s) => s.spanType === "llm");
    expect(first.attributes).toMatchObject({
      "judgment.llm.provider": "openai",
      "judgment.llm.model": "gpt-4o-2024-08-06",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.id": CHAT_TOOL_CALL.id,
      "gen_ai.response.finish_reasons": ["tool_calls"],
      "judgment.usage.non_cached_input_tokens": 91,
      "judgment.usage.output_tokens": 14,
    });
    expect(first.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [91, GPT_4O.input],
        [14, GPT_4O.output],
      ]),
      12,
    );
    expect(io(first).input).toEqual([{ role: "human", content: "What's the weather in Shanghai?" }]);
    expect(io(first).output).toMatchObject({
      role: "ai",
      tool_calls: [{ name: "get_weather", args: { location: "Shanghai" }, id: "call_qOfTGgDrItLORNfC6VwUbyLL" }],
    });
    expect(second.attributes).toMatchObject({ "judgment.usage.non_cached_input_tokens": 23, "judgment.usage.output_tokens": 14 });
    expect(second.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [23, GPT_4O.input],
        [14, GPT_4O.output],
      ]),
      12,
    );
    const weather = one(spans, "get_weather");
    expect(io(weather)).toEqual({ input: { location: "Shanghai" }, output: "Sunny in Shanghai" });
    expect(weather.attributes).toMatchObject({ "gen_ai.tool.name": "get_weather", "gen_ai.tool.call.id": "call_qOfTGgDrItLORNfC6VwUbyLL" });
    const nodes = spans.filter((s) => s.attributes["langgraph.node"] !== undefined);
    expect(nodes.map((s) => [s.name, s.attributes["langgraph.step"]])).toEqual([
      ["model", 1],
      ["tools", 2],
      ["model", 3],
    ]);
    expect(spans.every((s) => s.ended && s.status.code === "unset")).toBe(true);
  });

  it("traces the prebuilt ReAct agent", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL, CHAT_ANSWER);
    const agent = createReactAgent({ llm: chatModel(), tools: [weatherTool()] });
    await Tracer.span("caller", () => agent.invoke(question, { callbacks: [new JudgevalCallbackHandler()] }));

    const spans = await received(ctx, tracer);
    const top = outline(spans).filter((line) => /^ {0,4}\S/.test(line));
    expect(top).toEqual(["caller (span)", "  LangGraph (agent)", "    agent (span)", "    tools (span)", "    agent (span)"]);
    expect(spans.filter((s) => s.spanType === "llm").map((s) => s.attributes["judgment.usage.output_tokens"])).toEqual([14, 14]);
    expect(io(one(spans, "get_weather")).output).toBe("Sunny in Shanghai");
  });

  it("traces a chain (prompt, model, parser) and a retriever", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_ANSWER);
    class Cities extends BaseRetriever {
      lc_namespace = ["spec", "retrievers"];
      async _getRelevantDocuments(query: string): Promise<Document[]> {
        return [new Document({ pageContent: `${query} is a city`, metadata: { source: "atlas" } })];
      }
    }
    const chain = ChatPromptTemplate.fromTemplate("Tell me about {city}").pipe(chatModel()).pipe(new StringOutputParser());
    const handler = new JudgevalCallbackHandler();
    await Tracer.span("caller", async () => {
      await new Cities().invoke("Lyon", { callbacks: [handler] });
      return chain.invoke({ city: "Lyon" }, { callbacks: [handler] });
    });

    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual([
      "caller (span)",
      "  Cities (tool)",
      "  RunnableSequence (span)",
      "    ChatPromptTemplate (span)",
      "    ChatOpenAI (llm)",
      "    StrOutputParser (span)",
    ]);
    expect(io(one(spans, "Cities"))).toEqual({
      input: { query: "Lyon" },
      output: [{ pageContent: "Lyon is a city", metadata: { source: "atlas" } }],
    });
    expect(one(spans, "Cities").attributes["langchain.run_type"]).toBe("retriever");
    expect(io(one(spans, "RunnableSequence"))).toEqual({
      input: { city: "Lyon" },
      output: { output: CHAT_ANSWER.choices[0].message.content },
    });
  });

  it("records a failure once on every run it fails, up to the caller", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL);
    const graph = agentGraph(
      weatherTool(async () => {
        throw new Error("weather service down");
      }),
    );
    await expect(Tracer.span("caller", () => graph.invoke(question, { callbacks: [new JudgevalCallbackHandler()] }))).rejects.toThrow(
      "weather service down",
    );

    const spans = await received(ctx, tracer);
    const failed = spans.filter((s) => s.status.code === "error");
    expect(failed.map((s) => s.name).sort()).toEqual(["LangGraph", "caller", "get_weather", "tools"]);
    for (const span of spans) {
      expect(span.events.filter((e) => e.name === "exception")).toHaveLength(failed.includes(span) ? 1 : 0);
      expect(span.ended).toBe(true);
    }
    expect(one(spans, "get_weather").status.message).toBe("weather service down");
  });

  it("records a LangGraph interrupt as a pause, not a failure", async () => {
    const tracer = await projectTracer(ctx);
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("approve", () => {
        const answer = interrupt<{ question: string }, string>({ question: "Go ahead?" });
        return { messages: [new ToolMessage({ content: answer, tool_call_id: "approval" })] };
      })
      .addEdge(START, "approve")
      .addEdge("approve", END)
      .compile({ checkpointer: new MemorySaver() });
    const result = await Tracer.span("caller", () =>
      graph.invoke(question, { callbacks: [new JudgevalCallbackHandler()], configurable: { thread_id: "t1" } }),
    );
    expect((result as Record<string, unknown>).__interrupt__).toHaveLength(1);

    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => s.status.code === "error")).toEqual([]);
    expect(one(spans, "approve").attributes["langgraph.interrupted"]).toBe(true);
  });

  it("ends every span when the caller stops reading a graph's stream early", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL);
    const graph = agentGraph();
    await Tracer.span("caller", async () => {
      for await (const update of await graph.stream(question, { callbacks: [new JudgevalCallbackHandler()], streamMode: "updates" })) {
        expect(Object.keys(update)).toEqual(["model"]);
        break;
      }
    });
    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => !s.ended).map((s) => s.name)).toEqual([]);
    expect(one(spans, "LangGraph").spanType).toBe("agent");
  });

  it("streams: the chat model span gets the usage of the streamed response", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_ANSWER);
    const chunks: string[] = [];
    await Tracer.span("caller", async () => {
      for await (const chunk of await chatModel({ streaming: true }).stream("Tell me a joke", {
        callbacks: [new JudgevalCallbackHandler()],
      }))
        chunks.push(chunk.text);
    });
    expect(chunks.join("")).toBe(CHAT_ANSWER.choices[0].message.content);
    const spans = await received(ctx, tracer);
    expect(one(spans, "ChatOpenAI").attributes).toMatchObject({
      "judgment.usage.non_cached_input_tokens": 23,
      "judgment.usage.output_tokens": 14,
      "judgment.llm.model": "gpt-4o-2024-08-06",
    });
  });

  it("splits cached input tokens out of the Responses API usage and prices them at the cached rate", async () => {
    const tracer = await projectTracer(ctx);
    server.play(RESPONSE_CACHED);
    const model = new ChatOpenAI({
      model: "gpt-4.1",
      apiKey: "sk-test",
      configuration: { baseURL: `${server.url}/v1` },
      maxRetries: 0,
      useResponsesApi: true,
    });
    await Tracer.span("caller", () => model.invoke("What do you do?", { callbacks: [new JudgevalCallbackHandler()] }));

    const llm = one(await received(ctx, tracer), "ChatOpenAI");
    expect(llm.attributes).toMatchObject({
      "judgment.llm.model": "gpt-4.1-2025-04-14",
      "judgment.usage.non_cached_input_tokens": 12033 - 11904,
      "judgment.usage.cache_read_input_tokens": 11904,
      "judgment.usage.output_tokens": 44,
    });
    const GPT_41 = PRICES["gpt-4.1"];
    expect(llm.attributes["judgment.usage.total_cost_usd"]).toBeCloseTo(
      usd([
        [129, GPT_41.input],
        [11904, GPT_41.cached],
        [44, GPT_41.output],
      ]),
      12,
    );
  });

  it("keeps concurrent invocations sharing one handler apart, each under its caller", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_ANSWER, CHAT_ANSWER);
    const handler = new JudgevalCallbackHandler();
    const graph = agentGraph();
    await Promise.all(["a", "b"].map((who) => Tracer.span(`caller-${who}`, () => graph.invoke(question, { callbacks: [handler] }))));

    const spans = await received(ctx, tracer);
    for (const who of ["a", "b"]) {
      const caller = one(spans, `caller-${who}`);
      const inTrace = spans.filter((s) => s.traceId === caller.traceId);
      // membership per trace is the point; spans may start in the same instant, so order is not compared
      expect(inTrace.map((s) => s.name).sort()).toEqual([`caller-${who}`, "LangGraph", "model", "ChatOpenAI", "RunnableLambda"].sort());
    }
  });

  it("a wrapped client called in a tool beside a chat model: each request is one llm span, totals counted once", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL, CHAT_ANSWER, CHAT_ANSWER);
    const client = Tracer.wrap(new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 }));
    // The tool asks the model itself through the wrapped client: a request of its own.
    const getWeather = weatherTool(async (location) => {
      const completion = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: location }] });
      return completion.choices[0].message.content ?? "";
    });
    await Tracer.span("caller", () => agentGraph(getWeather).invoke(question, { callbacks: [new JudgevalCallbackHandler()] }));

    const spans = await received(ctx, tracer);
    const llm = spans.filter((s) => s.spanType === "llm");
    expect(llm.map((s) => s.name).sort()).toEqual(["ChatOpenAI", "ChatOpenAI", "OPENAI_API_CALL"]);
    const total = (key: string) => llm.reduce((n, s) => n + Number(s.attributes[key] ?? 0), 0);
    // The recordings: 91 + 14 (tool call), 23 + 14 (each answer).
    expect([total("judgment.usage.non_cached_input_tokens"), total("judgment.usage.output_tokens")]).toEqual([91 + 23 + 23, 14 + 14 + 14]);
  });

  it("a chat model over a wrapped client: one llm span per request (the wrapped call's, in the model's run), totals counted once", async () => {
    const tracer = await projectTracer(ctx);
    server.play(CHAT_TOOL_CALL, CHAT_ANSWER);
    const client = Tracer.wrap(new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 }));
    const graph = agentGraph(weatherTool(), new ClientChatModel(client));
    await Tracer.span("caller", () => graph.invoke(question, { callbacks: [new JudgevalCallbackHandler()] }));

    const spans = await received(ctx, tracer);
    expect(outline(spans).filter((l) => /ClientChatModel|OPENAI_API_CALL/.test(l))).toEqual([
      "      ClientChatModel (span)",
      "        OPENAI_API_CALL (llm)",
      "      ClientChatModel (span)",
      "        OPENAI_API_CALL (llm)",
    ]);
    const total = (key: string) => spans.reduce((n, s) => n + Number(s.attributes[key] ?? 0), 0);
    expect([total("judgment.usage.non_cached_input_tokens"), total("judgment.usage.output_tokens")]).toEqual([91 + 23, 14 + 14]);
    expect(total("judgment.usage.total_cost_usd")).toBeCloseTo(
      usd([
        [91 + 23, GPT_4O.input],
        [14 + 14, GPT_4O.output],
      ]),
      12,
    );
  });
});
