import { join } from "node:path";
import { useBackend } from "../support/backend.js";
import { useAgentApp } from "./support.js";

const ctx = useBackend({ projectName: "scripts-app" });
const app = useAgentApp(ctx, "scripts", {
  tsx: "^4",
  "ts-node": "^10",
  esbuild: "^0.28",
  typescript: "^5",
  "@types/node": "^22",
  openai: "^7.57.0",
});
const RUN_MILLIS = 120000;

const bin = (name: string) => join(app.dir, "node_modules/.bin", name);

/** Bundles main.ts with esbuild for Node with `flags`; returns the bundle's path. */
async function esbuild(name: string, flags: string[]): Promise<string> {
  const out = join(app.dir, "out", `${name}.js`);
  await app.build("esbuild", ["main.ts", "--bundle", "--platform=node", `--outfile=${out}`, "--log-level=warning", ...flags]);
  return out;
}

describe("a decorated agent run by a TypeScript runner, tsconfig.json without experimentalDecorators", () => {
  it(
    "tsx: traced, nothing on stderr",
    async () => {
      expect((await app.expectTraced("tsx", bin("tsx"), ["main.ts"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "ts-node (type-checked): traced, nothing on stderr",
    async () => {
      expect((await app.expectTraced("ts-node", bin("ts-node"), ["main.ts"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );
});

describe("the agent bundled by esbuild for Node", () => {
  it(
    "--target=node22: traced, nothing on stderr",
    async () => {
      const bundle = await esbuild("target", ["--target=node22"]);
      expect((await app.expectTraced("esbuild target", process.execPath, [bundle])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "--target=node22 --minify: traced under the member names, and one warning names the fix for the minified parameter names",
    async () => {
      const bundle = await esbuild("minified", ["--target=node22", "--minify"]);
      const { stderr } = await app.expectTraced("esbuild minified", process.execPath, [bundle]);
      expect(stderr.match(/look minified/g)).toHaveLength(1);
      expect(stderr).toMatch(/@observe: the parameters of "answer" \(\w{1,2}\) look minified.*minifyIdentifiers: false/);
    },
    RUN_MILLIS,
  );

  it(
    "--target=node22 --minify-syntax --minify-whitespace (identifiers kept): traced, nothing on stderr",
    async () => {
      const bundle = await esbuild("minified-names-kept", ["--target=node22", "--minify-syntax", "--minify-whitespace"]);
      expect((await app.expectTraced("esbuild names kept", process.execPath, [bundle])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "no --target: the decorators are left as written and Node stops with a SyntaxError before any code runs",
    async () => {
      const bundle = await esbuild("no-target", []);
      const { code, stderr } = await app.run(process.execPath, [bundle, "no target"]);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/SyntaxError: Invalid or unexpected token/);
    },
    RUN_MILLIS,
  );
});
