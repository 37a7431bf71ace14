// Bundles OpenTelemetry's trace SDK and OTLP transport into the build (lib/otel/*.ts name what is
// used). tsc compiles lib/otel/sdk.ts to a re-export of the SDK packages; this script replaces that
// output, in dist/cjs and dist/esm, with one file holding the SDK's code, and its .d.ts with one
// holding the SDK's types. `@opentelemetry/api` stays outside: it is the package's one peer, the
// app's own copy (docs/architecture.md, "OpenTelemetry inside").
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");
const { rollup } = require("rollup");
const { dts } = require("rollup-plugin-dts");
const { builtinModules } = require("module");

const root = path.join(__dirname, "..");
const ENTRIES = ["sdk", "otlp"];
const EXTERNAL = ["@opentelemetry/api"];
const FORMATS = { cjs: "cjs", esm: "esm" };

const nodePrefix = {
  name: "node-prefix",
  setup(build) {
    const bare = new RegExp(`^(${builtinModules.filter((m) => !m.startsWith("_")).join("|")})$`);
    build.onResolve({ filter: bare }, (args) => ({ path: `node:${args.path}`, external: true }));
  },
};

async function bundleCode(entry, dir, format) {
  await esbuild.build({
    entryPoints: [path.join(root, "lib/otel", `${entry}.ts`)],
    outfile: path.join(root, "dist", dir, "otel", `${entry}.js`),
    bundle: true,
    platform: "node",
    format,
    // The oldest Node the package supports (package.json "engines").
    target: "node20.6",
    external: EXTERNAL,
    // Node's modules as `node:` imports: the form the edge runtimes (Workers' nodejs_compat,
    // Vercel Edge) resolve for the few they have (async_hooks, events, buffer).
    plugins: [nodePrefix],
    // the global `Buffer` the SDK's Node code uses, as an import (the Vercel Edge runtime has the module, not the global)
    inject: [path.join(__dirname, "otel-globals.mjs")],
    // The OpenTelemetry sources' license headers (Apache-2.0) travel with their code.
    legalComments: "eof",
    sourcemap: true,
    logLevel: "warning",
  });
}

async function bundleTypes(entry, dir) {
  const input = path.join(root, "dist", dir, "otel", `${entry}.d.ts`);
  const bundle = await rollup({
    input,
    // Node's own modules stay imports in the types, as in the code
    external: [...EXTERNAL, ...builtinModules, /^node:/],
    plugins: [dts({ respectExternal: true, compilerOptions: { moduleResolution: 100 /* bundler */ } })],
    onwarn: (warning, warn) => (warning.code === "CIRCULAR_DEPENDENCY" ? undefined : warn(warning)),
  });
  await bundle.write({ file: input, format: "es" });
  await bundle.close();
}

async function main() {
  for (const [dir, format] of Object.entries(FORMATS)) {
    for (const entry of ENTRIES) {
      await bundleCode(entry, dir, format);
      await bundleTypes(entry, dir);
    }
  }
  // the declaration maps tsc wrote point at the re-export sources, which the bundles replaced
  for (const dir of Object.keys(FORMATS))
    for (const entry of ENTRIES) fs.rmSync(path.join(root, "dist", dir, "otel", `${entry}.d.ts.map`), { force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
