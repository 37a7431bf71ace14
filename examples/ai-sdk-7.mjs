// A weather agent on the Vercel AI SDK 7 traced with judgeval: `node examples/ai-sdk-7.mjs`
// (needs OPENAI_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import { Tracer, observe } from "judgeval";
import { registerTelemetry, generateText, tool, isStepCount } from "ai";
import { OpenTelemetry } from "@ai-sdk/otel";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";

Tracer.init({ projectName: "ai-sdk-7-example", registerGlobal: true });
// Every AI SDK call is traced from here on; its spans reach judgeval's global provider.
registerTelemetry(new OpenTelemetry());

const weather = tool({
  description: "The current weather in a location",
  inputSchema: z.object({ location: z.string() }),
  execute: async ({ location }) => ({ location, temperatureF: 72 }),
});

const weatherAgent = observe(
  async function weatherAgent(question) {
    const { text } = await generateText({ model: openai("gpt-5.1"), prompt: question, tools: { weather }, stopWhen: isStepCount(3) });
    return text;
  },
  { spanType: "agent" },
);

console.log(await weatherAgent("What is the weather in San Francisco?"));
await Tracer.shutdown();
