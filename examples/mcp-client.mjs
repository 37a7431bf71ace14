// An MCP client whose tool calls are traced and continued by the server: `node examples/mcp-client.mjs`
// (needs JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { fileURLToPath } from "node:url";
import { Tracer, observe } from "judgeval";
import { traceMCPClient } from "judgeval/mcp";

Tracer.init({ projectName: "mcp-example" });

const client = traceMCPClient(new Client({ name: "weather-client", version: "1.0.0" }));
await client.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [fileURLToPath(new URL("./mcp-server.mjs", import.meta.url))],
    env: process.env, // the server reads its JUDGMENT_* settings too
  }),
);

const ask = observe(async function ask(city) {
  const result = await client.callTool({ name: "get_weather", arguments: { city } });
  return result.content[0].text;
});

console.log(await ask("Rome"));
await client.close();
await Tracer.shutdown();
