import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
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
  mkdirSync(modules);
  symlinkSync(root, join(modules, "judgeval"), "dir");
  return dir;
}

const agentBody = (importLine: string) => `${importLine}
const tracer = Tracer.init({ projectName: "consumer", apiUrl: process.env.URL, apiKey: process.env.KEY, organizationId: process.env.ORG });
const answer = observe(function answer(q) { return Tracer.span("inner", () => q + "!"); });
console.log(answer(process.env.WHO));
`;

async function node(dir: string, file: string, who: string) {
  const env = {
    ...process.env,
    URL: ctx.tracerConfig.apiUrl,
    KEY: ctx.tracerConfig.apiKey,
    ORG: ctx.tracerConfig.organizationId,
    WHO: who,
  };
  return run(process.execPath, [join(dir, file)], { env, cwd: dir });
}

describe("the built package", () => {
  it("loads from a CommonJS consumer and flushes its spans on a normal exit", async () => {
    const dir = consumerDir();
    writeFileSync(join(dir, "main.cjs"), agentBody('const { Tracer, observe } = require("judgeval");'));
    const { stdout } = await node(dir, "main.cjs", "cjs");
    expect(stdout.trim()).toBe("cjs!");
    const spans = await ctx.backend.waitForSpans((all) =>
      all.some((s) => s.name === "answer" && s.attributes["judgment.input"] === '{"q":"cjs"}'),
    );
    expect(spans.length).toBeGreaterThan(0);
  });

  it("loads from an ESM consumer and flushes its spans on a normal exit", async () => {
    const dir = consumerDir();
    writeFileSync(join(dir, "main.mjs"), agentBody('import { Tracer, observe } from "judgeval";'));
    const { stdout } = await node(dir, "main.mjs", "esm");
    expect(stdout.trim()).toBe("esm!");
    await ctx.backend.waitForSpans((all) => all.some((s) => s.name === "answer" && s.attributes["judgment.input"] === '{"q":"esm"}'));
  });

  it("`judgeval` loads none of the local backend, its decoder or viewer, and few modules beyond bare OpenTelemetry's", async () => {
    const dir = consumerDir();
    // Modules each import adds to require.cache, in a fresh process.
    writeFileSync(
      join(dir, "count.cjs"),
      `const load = (ids) => { const before = new Set(Object.keys(require.cache)); ids.forEach((id) => require(id));
         return Object.keys(require.cache).filter((k) => !before.has(k)); };
       const fromPackage = (id) => require.resolve(id, { paths: [process.env.ROOT] });
       const otel = load(["@opentelemetry/sdk-trace", "@opentelemetry/exporter-trace-otlp-proto", "@opentelemetry/context-async-hooks"].map(fromPackage));
       const ours = load(["judgeval"]);
       const dev = load(["judgeval/dev"]);
       console.log(JSON.stringify({ otel: otel.length, ours, dev }));`,
    );
    const { stdout } = await run(process.execPath, [join(dir, "count.cjs")], { cwd: dir, env: { ...process.env, ROOT: root } });
    const { otel, ours, dev } = JSON.parse(stdout) as { otel: number; ours: string[]; dev: string[] };
    expect(otel).toBeGreaterThan(100);
    expect(ours.filter((m) => /protobufjs|[\\/]dist[\\/]cjs[\\/]dev[\\/]|sqlite/.test(m))).toEqual([]);
    // small modules, one job each: W3C propagation, the process-wide state and unexported spans are ~8 of them
    expect(ours.length).toBeLessThanOrEqual(90);
    expect(dev.some((m) => m.includes("protobufjs"))).toBe(true);
  });

  it("`judgeval/dev` exports the local backend to CommonJS and ESM consumers", async () => {
    const dir = consumerDir();
    writeFileSync(join(dir, "dev.cjs"), 'console.log(typeof require("judgeval/dev").LocalBackend.start);');
    writeFileSync(join(dir, "dev.mjs"), 'import { LocalBackend } from "judgeval/dev"; console.log(typeof LocalBackend.start);');
    for (const file of ["dev.cjs", "dev.mjs"]) {
      const { stdout } = await run(process.execPath, [join(dir, file)], { cwd: dir });
      expect(stdout.trim()).toBe("function");
    }
  });
});
