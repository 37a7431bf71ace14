// A weather agent on the Vercel AI SDK 6 traced with judgeval, in an app on `ai@6 @ai-sdk/openai@3 zod`
// (needs OPENAI_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import { Tracer, observe } from "judgeval";
import { generateText, tool, stepCountIs } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";

// Registered globally, judgeval's provider receives the SDK's spans.
Tracer.init({ projectName: "ai-sdk-6-example", registerGlobal: true });

const weather = tool({
  description: "The current weather in a location",
  inputSchema: z.object({ location: z.string() }),
  execute: async ({ location }) => ({ location, temperatureF: 72 }),
});

const weatherAgent = observe(
  async function weatherAgent(question) {
    const { text } = await generateText({
      model: openai("gpt-5.1"),
      prompt: question,
      tools: { weather },
      stopWhen: stepCountIs(3),
      // Telemetry is per call on AI SDK 6.
      experimental_telemetry: { isEnabled: true, functionId: "weather-agent" },
    });
    return text;
  },
  { spanType: "agent" },
);

console.log(await weatherAgent("What is the weather in San Francisco?"));
await Tracer.shutdown();
