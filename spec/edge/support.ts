import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import type { StoredSpan } from "../../lib/dev/index.js";

export { runtimePath } from "../support/runtime-binary.js";

export const root = resolve(__dirname, "../..");

/** Options of {@link bundleApp}. */
export interface BundleOptions {
  /** Export conditions, as the platform's bundler sets them. */
  conditions: string[];
  format: "esm" | "cjs";
  plugins?: Plugin[];
  /**
   * "browser" applies packages' `browser` field as webpack does for Next.js edge routes and wrangler for Workers (some
   * frameworks' dependencies swap their Node modules out there); "neutral" (the default) does not.
   */
  platform?: "neutral" | "browser";
}

/**
 * Bundles a fixture as a user's app would be, from a folder outside the repository (so no
 * tsconfig `paths` apply): judgeval is the built package, resolved through its `exports`.
 * Returns the output file, the Node modules the bundle imports (all, and the package's own) and
 * the files it holds.
 */
export async function bundleApp(
  fixture: string,
  options: BundleOptions,
): Promise<{ outfile: string; nodeModules: string[]; inputs: string[]; sdkNodeModules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "judgeval-edge-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "judgeval"), "dir");
  const entry = join(dir, basename(fixture));
  copyFileSync(join(__dirname, "fixtures", fixture), entry);
  const outfile = join(dir, basename(fixture).replace(/\.ts$/, options.format === "esm" ? ".mjs" : ".cjs"));
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: options.format,
    platform: options.platform ?? "neutral",
    mainFields: options.platform === "browser" ? ["browser", "module", "main"] : ["module", "main"],
    conditions: options.conditions,
    target: "es2022",
    nodePaths: [join(root, "node_modules")],
    // The runtime's own Node modules stay imports.
    external: ["node:*"],
    plugins: options.plugins,
    metafile: true,
    logLevel: "error",
  });
  const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const inputs = Object.keys(metafile.inputs);
  const sdkImports = sdkFiles(inputs).flatMap((file) => metafile.inputs[file].imports.filter((i) => i.external).map((i) => i.path));
  return { outfile, nodeModules: [...new Set(imports)].sort(), inputs, sdkNodeModules: [...new Set(sdkImports)].sort() };
}

/** The package's own files among a bundle's `inputs` (its build, not its dependencies'). */
export function sdkFiles(inputs: string[]): string[] {
  return inputs.filter((file) => /^(dist|lib)\//.test(file));
}

/** The Node modules the edge runtimes have (Workers, Vercel Edge): all an edge bundle may import. */
export const EDGE_NODE_MODULES = ["node:async_hooks", "node:buffer", "node:events"];

/** Ended spans (the final update of each) by name; the last of a name wins. */
export function byName(spans: StoredSpan[]): Record<string, StoredSpan> {
  return Object.fromEntries(spans.filter((s) => s.ended).map((s) => [s.name, s]));
}

/** Traces of `spans` with at least `count` ended spans each. */
export function wholeTraces(spans: StoredSpan[], count: number): string[] {
  const ended = new Map<string, number>();
  for (const s of spans) if (s.ended) ended.set(s.traceId, (ended.get(s.traceId) ?? 0) + 1);
  return [...ended].filter(([, n]) => n >= count).map(([id]) => id);
}

/** USD cost of the recorded Responses call (45 input, 24 output tokens) at gpt-5.1's prices. */
export const RECORDED_COST = (45 * 1.25 + 24 * 10) / 1e6;
