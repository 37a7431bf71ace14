/**
 * `@observe` as each real compiler emits it: spec/fixtures/decorators/agent.ts compiled by
 * TypeScript, SWC, Babel, esbuild, oxc and vite (with the decorator setting each toolchain is
 * used with), run by Node against the built package, and the trace checked as the backend
 * receives it. A toolchain that leaves decorators as written makes Node fail before any code
 * runs: those rows pin the error, whose fix docs/toolchains.md gives.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { transformAsync } from "@babel/core";
import { transform as swc, type Options as SwcOptions } from "@swc/core";
import { transform as esbuild, type TransformOptions as EsbuildOptions } from "esbuild";
import type { TransformOptions as OxcOptions } from "oxc-transform";
import ts from "typescript";
import type { StoredSpan } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { runNodeOutput } from "../support/node-process.js";
import { io, one } from "../support/tracing.js";

const root = resolve(__dirname, "../..");
const fixture = join(root, "spec/fixtures/decorators/agent.ts");
const source = readFileSync(fixture, "utf8");
const ctx = useBackend();
const run = promisify(execFile);

/** What a compiler turns the fixture into: an ES module. */
type Compile = () => Promise<string>;

const tsc =
  (options: ts.CompilerOptions): Compile =>
  async () =>
    ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, ...options } })
      .outputText;

const swcWith =
  (transform: NonNullable<SwcOptions["jsc"]>["transform"]): Compile =>
  async () =>
    (
      await swc(source, {
        filename: "agent.ts",
        swcrc: false,
        jsc: { parser: { syntax: "typescript", decorators: true }, transform, target: "es2022" },
        module: { type: "es6" },
      })
    ).code;

/** SWC with its minifier (mangling on), as a production build runs it. */
const swcMinified: Compile = async () =>
  (
    await swc(source, {
      filename: "agent.ts",
      swcrc: false,
      minify: true,
      jsc: {
        parser: { syntax: "typescript", decorators: true },
        transform: { legacyDecorator: true },
        target: "es2022",
        minify: { mangle: true, compress: true },
      },
      module: { type: "es6" },
    })
  ).code;

/**
 * SWC's default decorator transform (`legacyDecorator: false`), which Next.js 16 applies when
 * tsconfig.json has no `experimentalDecorators`: the types stripped first (TypeScript leaves
 * decorators as written at ESNext), then SWC's ECMAScript transform emits the 2018-09 form.
 */
const swcDefault: Compile = async () => {
  const stripped = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ESNext },
  }).outputText;
  const out = await swc(stripped, {
    filename: "agent.js",
    swcrc: false,
    // helpers from @swc/helpers, as Next.js has them (SWC's inlined copy of this one does not run)
    jsc: {
      parser: { syntax: "ecmascript", decorators: true },
      transform: { legacyDecorator: false },
      target: "es2022",
      externalHelpers: true,
    },
    module: { type: "es6" },
  });
  return out.code;
};

const babel =
  (version: string): Compile =>
  async () => {
    const decorators = version === "2018-09" ? { version, decoratorsBeforeExport: true } : { version };
    // legacy and 2018-09 need the class-properties transform after theirs (legacy: loose), as Babel's docs say
    const fields =
      version === "legacy" || version === "2018-09"
        ? [[require.resolve("@babel/plugin-transform-class-properties"), { loose: version === "legacy" }]]
        : [];
    const out = await transformAsync(source, {
      filename: "agent.ts",
      babelrc: false,
      configFile: false,
      presets: [require.resolve("@babel/preset-typescript")],
      plugins: [[require.resolve("@babel/plugin-proposal-decorators"), decorators], ...fields],
    });
    return out?.code ?? "";
  };

const esbuildWith =
  (options: EsbuildOptions): Compile =>
  async () =>
    (await esbuild(source, { loader: "ts", format: "esm", ...options })).code;

/** Runs spec/fixtures/decorators/transform.mjs: the compilers that ship as ES modules only. */
async function esmOnly(tool: "oxc" | "vite", file: string, options: OxcOptions = {}): Promise<string> {
  const script = join(root, "spec/fixtures/decorators/transform.mjs");
  return (await run(process.execPath, [script, tool, file, JSON.stringify(options)], { cwd: root })).stdout;
}

const oxcWith =
  (options: OxcOptions): Compile =>
  () =>
    esmOnly("oxc", fixture, { target: "es2022", ...options });

/** vite 8's own transform (oxc, as vitest 4 and 5 run it), which reads the tsconfig.json beside the file. */
const vite =
  (compilerOptions: Record<string, unknown>): Compile =>
  () => {
    const dir = mkdtempSync(join(tmpdir(), "judgeval-vite-"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
    writeFileSync(join(dir, "agent.ts"), source);
    return esmOnly("vite", join(dir, "agent.ts"));
  };

/** An app folder as npm lays it out: judgeval (this repository, built) and the compilers' runtime helpers. */
function appWith(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), "judgeval-decorators-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "judgeval"), "dir");
  for (const scope of ["@oxc-project", "@swc"]) symlinkSync(join(root, "node_modules", scope), join(dir, "node_modules", scope), "dir");
  const file = join(dir, "agent.mjs");
  writeFileSync(file, code);
  return file;
}

let seq = 0;

async function compileAndRun(compile: Compile): Promise<{ spans: StoredSpan[]; stderr: string }> {
  const projectName = `decorators-${process.pid}-${++seq}`;
  const { stdout, stderr } = await runNodeOutput(ctx, projectName, [appWith(await compile())]);
  expect(JSON.parse(stdout)).toEqual({ answer: "agent:why#2:5", label: "agent-label" });
  return { spans: ctx.backend.spans({ projectId: ctx.backend.projectId(projectName) }), stderr };
}

/** The trace every toolchain must deliver; `fieldTraced` when the form lets a field's function be traced. */
function expectAgentTrace(spans: StoredSpan[], fieldTraced: boolean): void {
  const run = one(spans, "run");
  expect(run.spanType).toBe("agent");
  expect(io(run)).toEqual({ input: { question: "why", depth: 2 }, output: "agent:why#2:5" });
  const search = one(spans, "search");
  expect(search.spanType).toBe("tool");
  expect(io(search)).toEqual({ input: { query: "why", limit: 2 }, output: "why#2" });
  expect(search.parentSpanId).toBe(run.spanId);
  expect(io(one(spans, "label"))).toEqual({ input: {}, output: "agent-label" });
  expect(one(spans, "create").spanType).toBe("span");
  if (fieldTraced) {
    const format = one(spans, "format");
    expect(io(format)).toEqual({ input: { text: "why#2" }, output: 5 });
    expect(format.parentSpanId).toBe(run.spanId);
  } else expect(spans.filter((s) => s.name === "format")).toEqual([]);
  expect(spans.map((s) => s.name).sort()).toEqual(["create", "label", "run", "search", ...(fieldTraced ? ["format"] : [])].sort());
}

const FIELD_WARNING = '@observe on "format" under experimentalDecorators: fields cannot be traced there, so it is NOT traced';

/** Every compiler and decorator setting that lowers decorators; `fields` when fields holding functions are traced. */
const traced: [string, Compile, { fields: boolean }][] = [
  ["TypeScript, standard decorators", tsc({}), { fields: true }],
  ["TypeScript, experimentalDecorators", tsc({ experimentalDecorators: true }), { fields: false }],
  [
    "TypeScript, experimentalDecorators + emitDecoratorMetadata",
    tsc({ experimentalDecorators: true, emitDecoratorMetadata: true }),
    { fields: false },
  ],
  ["SWC default (Next.js without experimentalDecorators): 2018-09 element descriptors", swcDefault, { fields: true }],
  ["SWC legacyDecorator (Next.js with experimentalDecorators)", swcWith({ legacyDecorator: true }), { fields: false }],
  ["SWC legacyDecorator + decoratorMetadata", swcWith({ legacyDecorator: true, decoratorMetadata: true }), { fields: false }],
  ["SWC decoratorVersion 2022-03", swcWith({ decoratorVersion: "2022-03" }), { fields: true }],
  ["SWC decoratorVersion 2023-11", swcWith({ decoratorVersion: "2023-11" }), { fields: true }],
  ["Babel legacy", babel("legacy"), { fields: true }],
  ["Babel 2018-09", babel("2018-09"), { fields: true }],
  ["Babel 2022-03", babel("2022-03"), { fields: true }],
  ["Babel 2023-05", babel("2023-05"), { fields: true }],
  ["Babel 2023-11", babel("2023-11"), { fields: true }],
  ["esbuild target es2022", esbuildWith({ target: "es2022" }), { fields: true }],
  ["esbuild target node22", esbuildWith({ target: "node22" }), { fields: true }],
  [
    "esbuild esnext, experimentalDecorators",
    esbuildWith({ target: "esnext", tsconfigRaw: { compilerOptions: { experimentalDecorators: true } } }),
    { fields: false },
  ],
  ["oxc-transform, decorator.legacy", oxcWith({ decorator: { legacy: true } }), { fields: false }],
  [
    "oxc-transform, decorator.legacy + emitDecoratorMetadata",
    oxcWith({ decorator: { legacy: true, emitDecoratorMetadata: true } }),
    { fields: false },
  ],
  ["vite 8 (oxc), tsconfig experimentalDecorators", vite({ experimentalDecorators: true }), { fields: false }],
];

/** Toolchains that leave `@observe` as written: Node 22 cannot parse the output. */
const untransformed: [string, Compile][] = [
  ["esbuild target esnext", esbuildWith({ target: "esnext" })],
  ["esbuild without a target", esbuildWith({})],
  ["oxc-transform without decorator.legacy", oxcWith({})],
  ["vite 8 (oxc) without experimentalDecorators", vite({})],
];

describe("@observe as each compiler emits it", () => {
  it.each(traced)(
    "%s: every decorated member traced, with its parameter names, span type and parent",
    async (_name, compile, { fields }) => {
      const { spans, stderr } = await compileAndRun(compile);
      expectAgentTrace(spans, fields);
      expect(stderr.includes(FIELD_WARNING)).toBe(!fields);
      expect(stderr).not.toContain("decorator form it does not know");
      expect(stderr).not.toContain("look minified");
    },
    60000,
  );

  it.each([
    ["esbuild --minify", esbuildWith({ target: "es2022", minify: true }), ["create", "format", "label", "run", "search"]],
    ["SWC legacyDecorator, minified", swcMinified, ["create", "label", "run", "search"]],
  ])(
    "%s: spans keep the members' names; parameter names are the minifier's, said once with the fix",
    async (_name, compile, names) => {
      const { spans, stderr } = await compileAndRun(compile);
      expect(spans.map((s) => s.name).sort()).toEqual(names);
      const input = io(one(spans, "run")).input as Record<string, unknown>;
      expect(Object.values(input)).toEqual(["why", 2]);
      expect(Object.keys(input)).not.toEqual(["question", "depth"]);
      expect(stderr.match(/look minified/g)).toHaveLength(1);
      expect(stderr).toContain("minifyIdentifiers: false");
    },
    60000,
  );

  it("esbuild minified with minifyIdentifiers: false keeps the parameter names, without a warning", async () => {
    const { spans, stderr } = await compileAndRun(esbuildWith({ target: "es2022", minifySyntax: true, minifyWhitespace: true }));
    expectAgentTrace(spans, true);
    expect(stderr).not.toContain("look minified");
  }, 60000);

  it.each(untransformed)(
    "%s: decorators left as written, so Node stops with a SyntaxError before the app runs",
    async (_name, compile) => {
      const code = await compile();
      expect(code).toMatch(/^\s*@observe/m);
      await expect(runNodeOutput(ctx, `untransformed-${process.pid}`, [appWith(code)])).rejects.toMatchObject({
        stderr: expect.stringContaining("SyntaxError: Invalid or unexpected token"),
      });
    },
    60000,
  );
});
