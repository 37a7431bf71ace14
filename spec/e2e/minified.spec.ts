/**
 * Minified bundles: esbuild --minify renames parameters and local functions. Explicit names
 * (`spanName`, `paramNames`) keep spans readable; without them the input keys are mangled.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { useBackend } from "../support/backend.js";
import { runNode } from "../support/node-process.js";
import { io } from "../support/tracing.js";

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
    await runNode(ctx, projectName, [outfile]);

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
