import { execFile } from "node:child_process";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { useBackend } from "../support/backend.js";
import { cachedApp, packJudgeval } from "../support/npm-app.js";
import { expectTracedRun, runInApp } from "./support.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/toolchains");
const ctx = useBackend({ projectName: "scripts-app" });
const RUN_MILLIS = 120000;

let dir: string;
let provider: Loopback;
beforeAll(async () => {
  const dependencies = { tsx: "^4", "ts-node": "^10", esbuild: "^0.28", typescript: "^5", "@types/node": "^22", openai: "^7.57.0" };
  // esbuild's binary (tsx runs on it too) is a native optional dependency
  dir = await cachedApp("scripts", { dependencies }, await packJudgeval(), { optional: true });
  for (const file of ["agent.ts", "main.ts", "scripts/tsconfig.json"])
    cpSync(join(fixtures, file), join(dir, file.replace("scripts/", "")));
  provider = await startResponsesReplay();
}, 600000);
afterAll(async () => {
  await provider?.close();
});

const runApp = (command: string, args: string[]) =>
  runInApp(dir, { tracerConfig: ctx.tracerConfig, providerUrl: provider.url }, command, args);

const bin = (name: string) => join(dir, "node_modules/.bin", name);

/** Bundles main.ts with esbuild for Node with `flags`; returns the bundle's path. */
async function esbuild(name: string, flags: string[]): Promise<string> {
  const out = join(dir, "out", `${name}.js`);
  await run(bin("esbuild"), ["main.ts", "--bundle", "--platform=node", `--outfile=${out}`, "--log-level=warning", ...flags], { cwd: dir });
  return out;
}

/** Runs the agent with `command` and checks its answer and its trace at the backend. */
const expectTraced = (label: string, command: string, args: string[]) =>
  expectTracedRun(ctx.backend, (extra) => runApp(command, [...args, ...extra]), label);

describe("a decorated agent run by a TypeScript runner, tsconfig.json without experimentalDecorators", () => {
  it(
    "tsx: traced, nothing on stderr",
    async () => {
      expect((await expectTraced("tsx", bin("tsx"), ["main.ts"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "ts-node (type-checked): traced, nothing on stderr",
    async () => {
      expect((await expectTraced("ts-node", bin("ts-node"), ["main.ts"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );
});

describe("the agent bundled by esbuild for Node", () => {
  it(
    "--target=node22: traced, nothing on stderr",
    async () => {
      const bundle = await esbuild("target", ["--target=node22"]);
      expect((await expectTraced("esbuild target", process.execPath, [bundle])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "--target=node22 --minify: traced under the member names, and one warning names the fix for the minified parameter names",
    async () => {
      const bundle = await esbuild("minified", ["--target=node22", "--minify"]);
      const { stderr } = await expectTraced("esbuild minified", process.execPath, [bundle]);
      expect(stderr.match(/look minified/g)).toHaveLength(1);
      expect(stderr).toMatch(/@observe: the parameters of "answer" \(\w{1,2}\) look minified.*minifyIdentifiers: false/);
    },
    RUN_MILLIS,
  );

  it(
    "--target=node22 --minify-syntax --minify-whitespace (identifiers kept): traced, nothing on stderr",
    async () => {
      const bundle = await esbuild("minified-names-kept", ["--target=node22", "--minify-syntax", "--minify-whitespace"]);
      expect((await expectTraced("esbuild names kept", process.execPath, [bundle])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "no --target: the decorators are left as written and Node stops with a SyntaxError before any code runs",
    async () => {
      const bundle = await esbuild("no-target", []);
      const { code, stderr } = await runApp(process.execPath, [bundle, "no target"]);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/SyntaxError: Invalid or unexpected token/);
    },
    RUN_MILLIS,
  );
});
