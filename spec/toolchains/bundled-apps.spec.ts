import { cpSync } from "node:fs";
import { join } from "node:path";
import { useBackend } from "../support/backend.js";
import { runtimePath } from "../support/runtime-binary.js";
import { fixtures, useAgentApp } from "./support.js";

// The toolchain agent (spec/fixtures/toolchains/agent.ts, main.ts) built by webpack, rollup and
// vite for Node as their docs show, and run from TypeScript source by Bun and Deno.
const ctx = useBackend({ projectName: "scripts-app" });
const app = useAgentApp(
  ctx,
  "bundled",
  {
    webpack: "^5",
    "webpack-cli": "^6",
    "ts-loader": "^9",
    "terser-webpack-plugin": "^5",
    rollup: "^4",
    "@rollup/plugin-typescript": "^12",
    tslib: "^2",
    vite: "^8",
    typescript: "^5",
    "@types/node": "^22",
    openai: "^7.57.0",
  },
  (dir) => {
    cpSync(join(fixtures, "bundlers"), dir, { recursive: true });
    for (const file of ["agent.ts", "main.ts"]) cpSync(join(fixtures, file), join(dir, "vite", file));
  },
);
const RUN_MILLIS = 240000;

describe("the agent built for Node by a bundler", () => {
  it(
    "webpack 5 + ts-loader, production mode: traced, and one warning names the fix for the minified parameter names",
    async () => {
      await app.build("webpack", ["--config", "webpack.config.js", "--no-stats"]);
      const { stderr } = await app.expectTraced("webpack", process.execPath, ["out/webpack/main.js"]);
      expect(stderr.match(/look minified/g)).toHaveLength(1);
      expect(stderr).toMatch(/webpack, terserOptions: \{ mangle: false \}/);
    },
    RUN_MILLIS,
  );

  it(
    "webpack 5, terser with mangle: false: traced under the real parameter names, nothing on stderr",
    async () => {
      await app.build("webpack", ["--config", "webpack.names.config.js", "--no-stats"]);
      const { stderr } = await app.expectTraced("webpack names", process.execPath, ["out/webpack-names/main.js"]);
      expect(stderr).toBe("");
      const inputs = ctx.backend.spans().flatMap((s) => {
        const input = s.name === "answer" ? s.attributes["judgment.input"] : undefined;
        return typeof input === "string" && input.includes("webpack names") ? [JSON.parse(input) as unknown] : [];
      });
      expect(inputs).toEqual([{ question: "webpack names: weather in San Francisco?" }]);
    },
    RUN_MILLIS,
  );

  it(
    "rollup 4 + @rollup/plugin-typescript: traced, nothing on stderr",
    async () => {
      await app.build("rollup", ["-c", "--silent"]);
      expect((await app.expectTraced("rollup", process.execPath, ["out/rollup/main.js"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "vite 8 SSR build (oxc), tsconfig.json with experimentalDecorators: traced, nothing on stderr",
    async () => {
      await app.build("vite", ["build", "--logLevel", "error"], join(app.dir, "vite"));
      expect((await app.expectTraced("vite ssr", process.execPath, ["out/vite/main.mjs"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );
});

describe("the agent run from TypeScript source, tsconfig.json without experimentalDecorators", () => {
  it(
    "Bun: traced, nothing on stderr",
    async () => {
      expect((await app.expectTraced("bun", runtimePath("bun"), ["main.ts"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );

  it(
    "Deno (--sloppy-imports for the extensionless import): traced, nothing on stderr",
    async () => {
      const deno = runtimePath("deno");
      expect((await app.expectTraced("deno", deno, ["run", "-A", "--sloppy-imports", "main.ts"])).stderr).toBe("");
    },
    RUN_MILLIS,
  );
});
