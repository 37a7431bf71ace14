// An MCP server on stdio whose tool calls join the caller's trace (started by examples/mcp-client.mjs).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { Tracer, observe } from "judgeval";
import { traceMCPServer } from "judgeval/mcp";

Tracer.init({ projectName: "mcp-example" });

const forecast = observe(async function forecast(city) {
  return `Sunny in ${city}`;
});

// Trace the server before registering its tools.
const server = traceMCPServer(new McpServer({ name: "weather", version: "1.0.0" }));
server.registerTool("get_weather", { description: "Current weather of a city", inputSchema: { city: z.string() } }, async ({ city }) => ({
  content: [{ type: "text", text: await forecast(city) }],
}));

await server.connect(new StdioServerTransport());
// The client ends stdin when it is done: deliver the spans, then exit.
process.stdin.on("end", () => Tracer.shutdown().then(() => process.exit(0)));
