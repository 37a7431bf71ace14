/**
 * Minified bundles: esbuild --minify renames parameters and local functions. Explicit names
 * (`spanName`, `paramNames`) keep spans readable; without them the input keys are mangled.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { useBackend } from "../support/backend.js";
import { io } from "../support/tracing.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const ctx = useBackend();

describe("a minified bundle", () => {
  it("keeps the names given in options, and shows what minifying does to the rest", async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "judgeval-min-")), "app.js");
    await build({
      entryPoints: [join(root, "spec/fixtures/minified-app.ts")],
      bundle: true,
      minify: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      packages: "external",
      outfile,
      logLevel: "silent",
    });
    const projectName = `minified-${process.pid}`;
    const env = { ...process.env, PROJECT: projectName, URL: ctx.tracerConfig.apiUrl, KEY: ctx.tracerConfig.apiKey, ORG: ctx.tracerConfig.organizationId, NODE_PATH: join(root, "node_modules") };
    await run(process.execPath, [outfile], { env, timeout: 30000 });

    const spans = ctx.backend.spans({ projectId: ctx.backend.projectId(projectName) });
    expect(spans).toHaveLength(3);
    const byInput = (s: (typeof spans)[number]) => JSON.stringify(io(s).input);
    const search = spans.find((s) => s.name === "search");
    expect(search && io(search).input).toEqual({ query: "b", limit: 2 });
    const answer = spans.find((s) => s.name === "answer");
    expect(answer && io(answer).input).toEqual({ question: "why" });
    // without explicit names: the minifier's one-letter parameter names, not query/limit
    const plain = spans.find((s) => s !== search && s !== answer)!;
    expect(Object.values(io(plain).input as Record<string, unknown>)).toEqual(["a", 1]);
    expect(byInput(plain)).not.toContain("query");
  }, 60000);
});
