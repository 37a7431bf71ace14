// A LangGraph agent traced with judgeval: `node examples/langchain.mjs`
// (needs OPENAI_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import { ChatOpenAI } from "@langchain/openai";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { z } from "zod";
import { Tracer, observe } from "judgeval";
import { JudgevalCallbackHandler } from "judgeval/langchain";

Tracer.init({ projectName: "langchain-example" });

const getWeather = tool(async ({ location }) => `Sunny in ${location}`, {
  name: "get_weather",
  description: "Current weather of a city",
  schema: z.object({ location: z.string() }),
});
const agent = createReactAgent({ llm: new ChatOpenAI({ model: "gpt-4o" }), tools: [getWeather] });
const handler = new JudgevalCallbackHandler();

const ask = observe(
  async function ask(question) {
    const state = await agent.invoke({ messages: [{ role: "user", content: question }] }, { callbacks: [handler] });
    return state.messages.at(-1).content;
  },
  { spanType: "agent" },
);

console.log(await ask("What's the weather in Shanghai?"));
await Tracer.shutdown();
