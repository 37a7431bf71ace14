import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Tracer } from "../../lib/index.js";
import { traceMCPClient } from "../../lib/integrations/mcp/index.js";
import { fixtureEnv, useBackend } from "../support/backend.js";
import { io, projectTracer, received } from "../support/tracing.js";
import { outline } from "../integrations/support/tree.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const FRAMEWORKS = /node_modules\/(@langchain|@openai\/agents|@mastra|@modelcontextprotocol)\/|\/integrations\//;

/** Runs `code` with the repository as working directory, where `judgeval` names the built package itself. */
async function node(code: string, esm = false): Promise<string> {
  if (!existsSync(join(root, "dist/cjs/index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const { stdout } = await run(process.execPath, [...(esm ? ["--input-type=module"] : []), "-e", code], { cwd: root });
  return stdout.trim();
}

/** Every module file the ESM build's `file` imports, transitively (relative specifiers followed, bare ones listed). */
function esmGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
    if (spec.startsWith(".")) esmGraph(resolve(dirname(file), spec), seen);
    else seen.add(spec);
  }
  return seen;
}

describe("the integration entries of the built package", () => {
  it("importing judgeval (CommonJS) loads no integration and no framework", async () => {
    const loaded = JSON.parse(await node('require("judgeval"); console.log(JSON.stringify(Object.keys(require.cache)))')) as string[];
    expect(loaded.some((f) => f.endsWith("dist/cjs/index.js"))).toBe(true);
    expect(loaded.filter((f) => FRAMEWORKS.test(f))).toEqual([]);
  });

  it("importing judgeval (ESM) reaches no integration and no framework", () => {
    const graph = [...esmGraph(join(root, "dist/esm/index.js"))];
    expect(graph.length).toBeGreaterThan(10);
    expect(graph.filter((f) => FRAMEWORKS.test(f) || /^(@langchain|@openai\/agents|@mastra|@modelcontextprotocol)/.test(f))).toEqual([]);
  });

  it.each([
    ["judgeval/claude-agent-sdk", "wrapClaudeAgentSDK"],
    ["judgeval/langchain", "JudgevalCallbackHandler"],
    ["judgeval/openai-agents", "JudgevalTracingProcessor"],
    ["judgeval/mastra", "JudgevalExporter"],
    ["judgeval/mcp", "traceMCPClient,traceMCPServer"],
  ])("%s loads from CommonJS and ESM, with types", async (entry, names) => {
    expect(await node(`console.log(Object.keys(require("${entry}")).sort().join())`)).toBe(names);
    expect(await node(`const m = await import("${entry}"); console.log(Object.keys(m).sort().join())`, true)).toBe(names);
    const sub = entry.split("/")[1];
    for (const build of ["cjs", "esm"]) expect(existsSync(join(root, `dist/${build}/integrations/${sub}/index.d.ts`))).toBe(true);
  });
});

describe("judgeval/mcp over stdio, server in another process", () => {
  const ctx = useBackend();

  it("the server process's spans (built package, CommonJS) join the client's trace", async () => {
    const tracer = await projectTracer(ctx);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [resolve(__dirname, "../fixtures/mcp-weather-server.cjs")],
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...fixtureEnv(ctx, tracer.projectName) },
      stderr: "inherit",
    });
    const remote = traceMCPClient(new Client({ name: "spec-client", version: "1.0.0" }));
    await remote.connect(transport);
    const result = await Tracer.span("caller", () => remote.callTool({ name: "get_weather", arguments: { city: "Rome" } }));
    expect(result.content).toEqual([{ type: "text", text: "Sunny in Rome" }]);
    // Closing ends the server's stdin: it delivers its spans and exits.
    await remote.close();

    await ctx.backend.waitForSpans((all) => all.some((s) => s.name === "lookup" && s.projectId === tracer.projectId));
    const spans = await received(ctx, tracer);
    expect(outline(spans)).toEqual([
      "caller (span)",
      "  tools/call get_weather (tool)",
      "    tools/call get_weather (tool)",
      "      lookup (span)",
    ]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(io(spans[2])).toEqual({ input: { city: "Rome" }, output: [{ type: "text", text: "Sunny in Rome" }] });
  });
});
