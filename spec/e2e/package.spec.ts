import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
    // what the first span does not need loads on first use (the next test)
    expect(ours.length).toBeLessThanOrEqual(80);
    // The control: the dev entry does load its decoder.
    expect(dev.some((m) => /[\\/]dev[\\/]otlp[\\/]otlp-reader\.js$/.test(m))).toBe(true);
  });

  it("`judgeval` loads the LLM wrappers, superjson, the price table, the W3C parsers and the export stack when first used", async () => {
    const dir = consumerDir();
    writeFileSync(
      join(dir, "lazy.cjs"),
      `const loaded = () => Object.keys(require.cache).map((k) => k.replace(/\\\\/g, "/"));
       const has = (pattern) => loaded().some((k) => pattern.test(k));
       const WHAT = {
         llm: /dist\\/cjs\\/llm\\//,
         superjson: /node_modules\\/superjson\\//,
         prices: /dist\\/cjs\\/pricing\\/prices\\.js$/,
         w3c: /dist\\/cjs\\/propagation\\/w3c\\.js$/,
         exportStack: /dist\\/cjs\\/pipeline\\/encode\\//,
       };
       const state = () => Object.fromEntries(Object.entries(WHAT).map(([name, pattern]) => [name, has(pattern)]));
       const { Tracer, observe, propagation, safeSerialize, wrap } = require("judgeval");
       const tracer = Tracer.init({ projectName: "lazy", apiUrl: process.env.URL, apiKey: process.env.KEY, organizationId: process.env.ORG });
       const afterInit = state();
       observe(function first(n) { return n + 1; })(1);
       const afterSpan = state();
       wrap({});
       safeSerialize(new (class Point { x = 1; })());
       propagation.inject({});
       const afterUse = state();
       tracer.forceFlush().then((flushed) => {
         console.log(JSON.stringify({ afterInit, afterSpan, afterUse, afterFlush: state(), flushed }));
       });`,
    );
    const { stdout } = await node(dir, "lazy.cjs", "");
    const none = { llm: false, superjson: false, prices: false, w3c: false, exportStack: false };
    const used = { llm: true, superjson: true, prices: true, w3c: true };
    expect(JSON.parse(stdout)).toEqual({
      afterInit: none,
      afterSpan: none,
      afterUse: { ...used, exportStack: false },
      afterFlush: { ...used, exportStack: true },
      flushed: true,
    });
    await ctx.backend.waitForSpans((all) => all.some((s) => s.name === "first"));
  });

  it("`judgeval` on Node loads none of the edge build's modules, from CommonJS or ESM, through a flushed span", async () => {
    const dir = consumerDir();
    // What each consumer loaded of dist/, after init, a span and its flush (the lazy modules too).
    const finish = `const tracer = Tracer.init({ projectName: "node-only", apiUrl: process.env.URL, apiKey: process.env.KEY, organizationId: process.env.ORG });
       observe(function nodeOnly(x) { return x; })(process.env.WHO);
       tracer.forceFlush().then((flushed) => console.log(JSON.stringify({ flushed, loaded: loaded().filter((m) => /[\\/]dist[\\/]/.test(m)) })));`;
    writeFileSync(
      join(dir, "cjs.cjs"),
      `const { Tracer, observe } = require("judgeval");
       const loaded = () => Object.keys(require.cache);
       ${finish}`,
    );
    writeFileSync(
      join(dir, "esm.mjs"),
      `import { registerHooks } from "node:module";
       const urls = [];
       registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); urls.push(found.url); return found; } });
       const { Tracer, observe } = await import("judgeval");
       const loaded = () => urls;
       ${finish}`,
    );
    const edgeOnly = /[\\/](edge|edge-platform|fetch-transport|runtime-storage)\.js$/;
    for (const [file, build] of [
      ["cjs.cjs", "cjs"],
      ["esm.mjs", "esm"],
    ]) {
      const { stdout } = await node(dir, file, file);
      const { flushed, loaded } = JSON.parse(stdout) as { flushed: boolean; loaded: string[] };
      expect(flushed).toBe(true);
      // the control: the Node build's transport is what delivered it
      expect(loaded.some((m) => new RegExp(`dist[\\\\/]${build}[\\\\/]pipeline[\\\\/]node-transport\\.js$`).test(m))).toBe(true);
      expect(loaded.filter((m) => edgeOnly.test(m))).toEqual([]);
      await ctx.backend.waitForSpans((all) =>
        all.some((s) => s.name === "nodeOnly" && s.attributes["judgment.input"] === `{"x":"${file}"}`),
      );
    }
  });

  it("`judgeval/testing` used alone, from CommonJS or ESM, captures spans on Node's platform", async () => {
    const dir = consumerDir();
    // The capture's tracer is made before the app loads `judgeval`; its child after an await
    // nests only through the platform's AsyncLocalStorage.
    const body = `const capture = createTraceCapture();
       const { Tracer } = await load("judgeval");
       await capture.run(() => Tracer.span("alone", async () => { await new Promise((r) => setImmediate(r)); return Tracer.span("child", () => 1); }));
       console.log(JSON.stringify(capture.traces().map((t) => [t.root.name, t.root.children.map((c) => c.name)])));`;
    writeFileSync(
      join(dir, "alone.cjs"),
      `const { createTraceCapture } = require("judgeval/testing");
       const load = async (id) => require(id);
       (async () => { ${body} })();`,
    );
    writeFileSync(
      join(dir, "alone.mjs"),
      `import { createTraceCapture } from "judgeval/testing";
       const load = (id) => import(id);
       ${body}`,
    );
    for (const file of ["alone.cjs", "alone.mjs"]) {
      const { stdout } = await run(process.execPath, [join(dir, file)], { cwd: dir });
      expect(JSON.parse(stdout)).toEqual([["alone", ["child"]]]);
    }
  });

  it("a module loaded on first use that fails to load is logged, never thrown into the app", async () => {
    // A damaged install: the package without its LLM wrappers, superjson bridge and W3C parsers.
    const dir = mkdtempSync(join(tmpdir(), "judgeval-damaged-"));
    const pkg = join(dir, "node_modules", "judgeval");
    mkdirSync(pkg, { recursive: true });
    cpSync(join(root, "package.json"), join(pkg, "package.json"));
    cpSync(join(root, "dist", "cjs"), join(pkg, "dist", "cjs"), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"), "dir");
    for (const file of ["llm/wrap-client.js", "serialize/custom.js", "propagation/w3c.js"]) rmSync(join(pkg, "dist", "cjs", file));
    writeFileSync(
      join(dir, "damaged.cjs"),
      `const { Tracer, observe, propagation, safeSerialize, wrap } = require("judgeval");
       Tracer.init({ projectName: "damaged", apiUrl: "http://127.0.0.1:9", apiKey: "k", organizationId: "o", flushOnSignal: false });
       const client = { chat: { completions: { create() {} } } };
       const headers = {};
       const out = observe(function answer() {
         propagation.inject(headers);
         propagation.extract({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
         return safeSerialize(new (class Point { x = 1; })());
       })();
       console.log(JSON.stringify({ same: wrap(client) === client, headers, out }));
       process.exit(0);`,
    );
    const { stdout, stderr } = await run(process.execPath, [join(dir, "damaged.cjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ same: true, headers: {}, out: '{"__class":"Point","x":1}' });
    for (const what of ["LLM client wrappers", "superjson custom types", "W3C trace context propagation"]) {
      expect(stderr.split(what).length - 1).toBe(1); // said once
    }
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
