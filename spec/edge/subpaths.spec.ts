/**
 * The integration subpaths that run on the edge (`judgeval/serverless`, `judgeval/langchain`,
 * `judgeval/mcp`, `judgeval/openai-agents`), bundled for each edge platform's conditions: they
 * resolve, whether imported or required, to the ES build `judgeval` resolves to there — one copy
 * of the SDK in the bundle — and import no Node module the edge runtimes lack. A route running
 * them is in vercel-edge.spec.ts.
 */
import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";
import { bundleApp, EDGE_NODE_MODULES, sdkFiles } from "./support.js";

/**
 * Workers with `nodejs_compat` provide every Node module (some as stubs that throw when used), so
 * wrangler leaves them all to the runtime: a framework may import one it never calls there.
 */
const nodejsCompat: Plugin = {
  name: "nodejs-compat",
  setup(build) {
    const bare = new RegExp(`^(${builtinModules.join("|")})$`);
    build.onResolve({ filter: bare }, (args) => ({ path: `node:${args.path}`, external: true }));
  },
};

interface EdgePlatform {
  conditions: string[];
  plugins: Plugin[];
  /** The runtime provides every Node module, so only the package's own imports are held to the edge's. */
  runtimeHasAllOfNode: boolean;
}

/** Conditions as Next.js bundles edge routes and as wrangler bundles Workers. */
const PLATFORMS: Record<string, EdgePlatform> = {
  "Vercel Edge": { conditions: ["edge-light", "worker", "browser"], plugins: [], runtimeHasAllOfNode: false },
  "Cloudflare Workers": { conditions: ["workerd", "worker", "browser"], plugins: [nodejsCompat], runtimeHasAllOfNode: true },
};

const ENTRIES = ["edge", "serverless/index", "integrations/langchain/index", "integrations/mcp/index", "integrations/openai-agents/index"];

describe("the edge subpaths", () => {
  it.each(Object.keys(PLATFORMS))(
    "required under the %s conditions: one ES build of the SDK, only the edge's Node modules",
    async (name: string) => {
      const { conditions, plugins, runtimeHasAllOfNode } = PLATFORMS[name];
      // The frameworks' own dependencies swap their Node modules out through the `browser` field.
      const bundled = await bundleApp("edge-subpaths.ts", { conditions, plugins, format: "esm", platform: "browser" });
      expect(EDGE_NODE_MODULES).toEqual(expect.arrayContaining(bundled.sdkNodeModules));
      if (!runtimeHasAllOfNode) expect(EDGE_NODE_MODULES).toEqual(expect.arrayContaining(bundled.nodeModules));
      const sdk = sdkFiles(bundled.inputs);
      expect(sdk.filter((file) => !file.startsWith("dist/esm/"))).toEqual([]);
      for (const entry of ENTRIES) expect(sdk).toContain(`dist/esm/${entry}.js`);
    },
  );
});
