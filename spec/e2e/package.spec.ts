import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { useBackend } from "../support/backend.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const ctx = useBackend();

/** A throwaway project that depends on the built package through node_modules, as a user's would. */
function consumerDir(): string {
  if (!existsSync(join(root, "dist/cjs/index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const dir = mkdtempSync(join(tmpdir(), "judgeval-consumer-"));
  const modules = join(dir, "node_modules");
  require("node:fs").mkdirSync(modules);
  symlinkSync(root, join(modules, "judgeval"), "dir");
  return dir;
}

const agentBody = (importLine: string) => `${importLine}
const tracer = Tracer.init({ projectName: "consumer", apiUrl: process.env.URL, apiKey: process.env.KEY, organizationId: process.env.ORG });
const answer = observe(function answer(q) { return Tracer.span("inner", () => q + "!"); });
console.log(answer(process.env.WHO));
`;

async function node(dir: string, file: string, who: string) {
  const env = { ...process.env, URL: ctx.tracerConfig.apiUrl, KEY: ctx.tracerConfig.apiKey, ORG: ctx.tracerConfig.organizationId, WHO: who };
  return run(process.execPath, [join(dir, file)], { env, cwd: dir });
}

describe("the built package", () => {
  it("loads from a CommonJS consumer and flushes its spans on a normal exit", async () => {
    const dir = consumerDir();
    writeFileSync(join(dir, "main.cjs"), agentBody('const { Tracer, observe } = require("judgeval");'));
    const { stdout } = await node(dir, "main.cjs", "cjs");
    expect(stdout.trim()).toBe("cjs!");
    const spans = await ctx.backend.waitForSpans((all) => all.some((s) => s.name === "answer" && s.attributes["judgment.input"] === '{"q":"cjs"}'));
    expect(spans.length).toBeGreaterThan(0);
  });

  it("loads from an ESM consumer and flushes its spans on a normal exit", async () => {
    const dir = consumerDir();
    writeFileSync(join(dir, "main.mjs"), agentBody('import { Tracer, observe } from "judgeval";'));
    const { stdout } = await node(dir, "main.mjs", "esm");
    expect(stdout.trim()).toBe("esm!");
    await ctx.backend.waitForSpans((all) => all.some((s) => s.name === "answer" && s.attributes["judgment.input"] === '{"q":"esm"}'));
  });
});
