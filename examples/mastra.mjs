// A Mastra agent traced with judgeval: `node examples/mastra.mjs`
// (needs OPENAI_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import { Mastra } from "@mastra/core";
import { Agent } from "@mastra/core/agent";
import { createTool } from "@mastra/core/tools";
import { Observability } from "@mastra/observability";
import { z } from "zod";
import { Tracer, observe } from "judgeval";
import { JudgevalExporter } from "judgeval/mastra";

Tracer.init({ projectName: "mastra-example" });

const getWeather = createTool({
  id: "get_weather",
  description: "Current weather of a city",
  inputSchema: z.object({ location: z.string() }),
  execute: async ({ location }) => `Sunny in ${location}`,
});
const weatherAgent = new Agent({
  id: "weather",
  name: "Weather",
  instructions: "Answer questions about the weather.",
  model: "openai/gpt-4o",
  tools: { get_weather: getWeather },
});
const mastra = new Mastra({
  agents: { weatherAgent },
  observability: new Observability({ configs: { judgeval: { serviceName: "mastra-example", exporters: [new JudgevalExporter()] } } }),
});

const ask = observe(async function ask(question) {
  return (await mastra.getAgent("weatherAgent").generate(question)).text;
});

console.log(await ask("What's the weather in Shanghai?"));
await Tracer.shutdown();
