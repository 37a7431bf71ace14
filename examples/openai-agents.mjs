// An OpenAI Agents SDK run traced with judgeval: `node examples/openai-agents.mjs`
// (needs OPENAI_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import { Agent, run, setTraceProcessors, tool } from "@openai/agents";
import { z } from "zod";
import { Tracer, observe } from "judgeval";
import { JudgevalTracingProcessor } from "judgeval/openai-agents";

Tracer.init({ projectName: "openai-agents-example" });
// judgeval only; use addTraceProcessor instead to keep sending traces to OpenAI as well.
setTraceProcessors([new JudgevalTracingProcessor()]);

const getWeather = tool({
  name: "get_weather",
  description: "Current weather of a city",
  parameters: z.object({ location: z.string() }),
  execute: async ({ location }) => `Sunny in ${location}`,
});
const agent = new Agent({ name: "Weather", instructions: "Answer questions about the weather.", tools: [getWeather], model: "gpt-4o" });

const ask = observe(async function ask(question) {
  return (await run(agent, question)).finalOutput;
});

console.log(await ask("What's the weather in Shanghai?"));
await Tracer.shutdown();
