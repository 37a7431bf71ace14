// A Claude Agent SDK run traced with judgeval: `node examples/claude-agent-sdk.mjs`
// (needs ANTHROPIC_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import * as sdk from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";
import { Tracer, observe } from "judgeval";
import { wrapClaudeAgentSDK } from "judgeval/claude-agent-sdk";

Tracer.init({ projectName: "claude-agent-sdk-example" });
const { query, createSdkMcpServer, tool } = wrapClaudeAgentSDK(sdk);

const weather = createSdkMcpServer({
  name: "weather",
  version: "1.0.0",
  tools: [
    tool("get_weather", "Current weather of a city", { city: z.string() }, async ({ city }) => ({
      content: [{ type: "text", text: `Sunny in ${city}` }],
    })),
  ],
});

const ask = observe(async function ask(question) {
  const options = { model: "claude-sonnet-4-5", mcpServers: { weather }, allowedTools: ["mcp__weather__get_weather"] };
  for await (const message of query({ prompt: question, options })) {
    if (message.type === "result") return message.result;
  }
});

console.log(await ask("What's the weather in Rome?"));
await Tracer.shutdown();
