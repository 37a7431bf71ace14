// Builds spec/bundlers/app.mjs with each bundler the way its users do (no banner, no plugin for
// judgeval, no externals), runs the bundle with Node against a local backend, and checks the
// build printed no warning and the spans arrived. Run: `npm run build && npm run test:bundlers`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { LocalBackend } from "judgeval/dev";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

// An app folder outside the repository with the package installed (a link to this built
// checkout), so bundlers resolve `judgeval` as they would from a user's node_modules.
const app = mkdtempSync(join(tmpdir(), "judgeval-bundled-"));
writeFileSync(join(app, "package.json"), JSON.stringify({ private: true, type: "module", dependencies: { judgeval: "*" } }));
mkdirSync(join(app, "node_modules"));
symlinkSync(root, join(app, "node_modules", "judgeval"), "dir");
copyFileSync(join(here, "app.mjs"), join(app, "app.mjs"));
const entry = join(app, "app.mjs");
const out = (name) => join(app, "out", name);

let backend;
before(async () => {
  backend = await LocalBackend.start();
});
after(async () => {
  await backend?.close();
  rmSync(app, { recursive: true, force: true });
});

/**
 * Runs `node file` with the backend's credentials in the environment (asynchronously: the backend
 * answers from this process) and returns what it printed on stdout, parsed. It must print nothing
 * on stderr.
 */
async function runNode(file, extraEnv = {}) {
  const env = {
    ...process.env,
    ...extraEnv,
    JUDGMENT_API_URL: backend.url,
    JUDGMENT_API_KEY: backend.apiKey,
    JUDGMENT_ORG_ID: backend.organizationId,
  };
  const child = spawn(process.execPath, [file], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  assert.equal(code, 0, `the bundle failed:\n${stderr}`);
  assert.equal(stderr, "", "the bundle printed to stderr");
  return JSON.parse(stdout.trim().split("\n").pop());
}

/** The spans of the newest trace: the handler's span with the tool's below it. */
function assertTraced() {
  const spans = backend.spans();
  const handle = spans.filter((s) => s.name === "handle").pop();
  assert.ok(handle, "no handle span was delivered");
  const lookup = spans.find((s) => s.name === "lookup" && s.traceId === handle.traceId);
  assert.equal(lookup?.parentSpanId, handle.spanId, "lookup is not handle's child");
  assert.equal(lookup.spanType, "tool");
  assert.equal(lookup.attributes["judgment.output"], '"HELLO"');
}

/** Runs the built bundle as a script and checks what arrived at the backend. */
async function check(file) {
  assert.deepEqual(await runNode(file, { BUNDLED_APP_RUN: "1" }), { result: "HELLO" });
  assertTraced();
}

const messages = (list) => list.map((m) => (typeof m === "string" ? m : (m.message ?? m.text ?? JSON.stringify(m)))).join("\n");

test("esbuild, ESM bundle for Node", async () => {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: out("esbuild.mjs"),
    logLevel: "silent",
  });
  assert.equal(messages(result.warnings), "");
  await check(out("esbuild.mjs"));
});

test("esbuild, CommonJS bundle for Node", async () => {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: out("esbuild.cjs"),
    logLevel: "silent",
  });
  assert.equal(messages(result.warnings), "");
  await check(out("esbuild.cjs"));
});

async function webpackBuild(config) {
  const { default: webpack } = await import("webpack");
  const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  const { warnings, errors } = stats.toJson({ all: false, warnings: true, errors: true });
  assert.equal(messages(errors), "");
  assert.equal(messages(warnings), "");
}

test("webpack, Next.js-style server build (CommonJS, target node, a route module the server requires)", async () => {
  await webpackBuild({
    mode: "production",
    target: "node",
    context: app,
    entry: { route: entry },
    output: { path: out("webpack-server"), filename: "[name].cjs", library: { type: "commonjs2" } },
    optimization: { minimize: false },
  });
  // The "server": requires the route module and calls its handler, as a framework does.
  writeFileSync(
    out("webpack-server/server.cjs"),
    `require("./route.cjs").handler("hello").then((result) => console.log(JSON.stringify({ result })));\n`,
  );
  assert.deepEqual(await runNode(out("webpack-server/server.cjs")), { result: "HELLO" });
  assertTraced();
});

test("webpack, ESM output for Node", async () => {
  await webpackBuild({
    mode: "production",
    target: "node",
    context: app,
    entry: entry,
    experiments: { outputModule: true },
    output: { path: out("webpack-esm"), filename: "main.mjs", module: true, chunkFormat: "module", library: { type: "module" } },
  });
  await check(out("webpack-esm/main.mjs"));
});

test("rollup with node-resolve and commonjs, ESM bundle", async () => {
  const { rollup } = await import("rollup");
  const { default: resolve } = await import("@rollup/plugin-node-resolve");
  const { default: commonjs } = await import("@rollup/plugin-commonjs");
  const warnings = [];
  const bundle = await rollup({
    input: entry,
    plugins: [resolve({ exportConditions: ["node"], preferBuiltins: true }), commonjs()],
    onwarn: (w) => warnings.push(w),
  });
  await bundle.write({ file: out("rollup.mjs"), format: "es", inlineDynamicImports: true });
  await bundle.close();
  assert.equal(messages(warnings), "");
  await check(out("rollup.mjs"));
});

test("vite SSR build, dependencies bundled (ssr.noExternal)", async () => {
  const { build } = await import("vite");
  const warnings = [];
  await build({
    root: app,
    configFile: false,
    logLevel: "silent",
    customLogger: {
      info() {},
      warn: (m) => warnings.push(m),
      warnOnce: (m) => warnings.push(m),
      error: (m) => warnings.push(m),
      clearScreen() {},
      hasErrorLogged: () => false,
      hasWarned: false,
    },
    ssr: { noExternal: true, target: "node" },
    build: { ssr: entry, outDir: out("vite"), emptyOutDir: true, rollupOptions: { output: { entryFileNames: "app.mjs" } } },
  });
  assert.equal(messages(warnings), "");
  await check(out("vite/app.mjs"));
});
