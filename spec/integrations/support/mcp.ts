import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { z } from "zod";

/** A weather MCP server's tools, resources and prompts, registered on `server`; `work` runs inside the tool. */
export function registerWeather(server: McpServer, work: (city: string) => Promise<string>): McpServer {
  server.registerTool("get_weather", { description: "Current weather of a city", inputSchema: { city: z.string() } }, async ({ city }) => ({
    content: [{ type: "text", text: await work(city) }],
  }));
  server.registerTool("broken", { description: "Always fails", inputSchema: {} }, async () => ({
    isError: true,
    content: [{ type: "text", text: "station offline" }],
  }));
  server.registerResource(
    "city",
    new ResourceTemplate("city://{name}", { list: undefined }),
    { description: "A city" },
    async (uri, { name }) => ({
      contents: [{ uri: uri.href, text: `${String(name)} is a city` }],
    }),
  );
  server.registerPrompt("forecast", { argsSchema: { city: z.string() } }, ({ city }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Forecast for ${city}?` } }],
  }));
  return server;
}

/** An MCP server on a loopback streamable-HTTP endpoint, one session per client. */
export interface HttpMcp {
  url: URL;
  close(): Promise<void>;
}

export async function serveOverHttp(makeServer: () => McpServer): Promise<HttpMcp> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((req, res) => {
    const id = req.headers["mcp-session-id"];
    let transport = typeof id === "string" ? sessions.get(id) : undefined;
    if (!transport) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid) => void sessions.set(sid, created),
      });
      transport = created;
      void makeServer().connect(created);
    }
    void transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A connected client of `url`. */
export async function connectClient(url: URL): Promise<Client> {
  const client = new Client({ name: "spec-client", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}
