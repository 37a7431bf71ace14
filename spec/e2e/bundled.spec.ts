/**
 * Apps bundled with esbuild from the built package, as a user's bundler sees it (CommonJS and ESM
 * builds): the modules the SDK loads on first use are static string literals, so they end up in
 * the bundle without a warning and work from it (superjson's custom types: the app's own copy).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { useBackend } from "../support/backend.js";
import { runNode } from "../support/node-process.js";

const root = resolve(__dirname, "../..");
const ctx = useBackend();

const app = (importLines: string) => `${importLines}
class Point { constructor() { this.x = 1; } }
SuperJSON.registerCustom({ isApplicable: (v) => v instanceof Point, serialize: (v) => "point " + v.x, deserialize: () => new Point() }, "Point");
Tracer.init({ projectName: process.env.PROJECT, apiUrl: process.env.URL, apiKey: process.env.KEY, organizationId: process.env.ORG });
const headers = {};
const answer = observe(function answer(q) {
  propagation.inject(headers);
  return safeSerialize(new Point()) + q;
}, { spanName: "answer" });
const out = answer("?");
const notAClient = { name: "not an LLM client" };
console.log(JSON.stringify({ out, traceparent: typeof headers.traceparent, wrapped: wrap(notAClient) === notAClient }));
await Tracer.shutdown();
`;

async function bundle(format: "cjs" | "esm"): Promise<{ outfile: string; warnings: number }> {
  const dir = mkdtempSync(join(tmpdir(), "judgeval-bundle-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "judgeval"), "dir");
  symlinkSync(join(root, "node_modules", "@opentelemetry"), join(dir, "node_modules", "@opentelemetry"), "dir");
  const entry = join(dir, format === "esm" ? "app.mjs" : "app.js");
  const imports = "{ Tracer, observe, propagation, safeSerialize, wrap }";
  const body = app(
    format === "esm"
      ? `import ${imports} from "judgeval";\nimport SuperJSON from "superjson";`
      : `const ${imports} = require("judgeval");\nconst SuperJSON = require("superjson").default;`,
  );
  writeFileSync(entry, format === "esm" ? body : `(async () => {\n${body}\n})();`);
  const outfile = join(dir, format === "esm" ? "out.mjs" : "out.js");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format,
    target: "node20",
    // OpenTelemetry stays a dependency of the app; judgeval and superjson go into the bundle.
    external: ["@opentelemetry/*"],
    nodePaths: [join(root, "node_modules")],
    outfile,
    logLevel: "silent",
  });
  return { outfile, warnings: result.warnings.length };
}

describe("an app bundled with esbuild", () => {
  it.each(["cjs", "esm"] as const)(
    "%s: bundles the lazily loaded modules without a warning, and they work",
    async (format) => {
      const { outfile, warnings } = await bundle(format);
      expect(warnings).toBe(0);
      const projectName = `bundled-${format}-${process.pid}`;
      const stdout = await runNode(ctx, projectName, [outfile]);
      expect(JSON.parse(stdout)).toEqual({ out: '"point 1"?', traceparent: "string", wrapped: true });
      const spans = ctx.backend.spans({ projectId: ctx.backend.projectId(projectName) });
      expect(spans.map((s) => s.name)).toEqual(["answer"]);
    },
    60000,
  );
});
