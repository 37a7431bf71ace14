import { execFile } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { cachedApp, packJudgeval } from "../support/npm-app.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/toolchains");
const docs = readFileSync(resolve(__dirname, "../../docs/testing.md"), "utf8");
const INSTALL_MILLIS = 600000;
const RUN_MILLIS = 180000;
const OPENAI = "^7.57.0";

let tarball: string;
let provider: Loopback;
beforeAll(async () => {
  tarball = await packJudgeval();
  provider = await startResponsesReplay();
}, INSTALL_MILLIS);
afterAll(async () => {
  await provider?.close();
});

/** Runs `bin` of the app in `dir` with the provider's address; resolves with its output, rejects with it when the run fails. */
async function runIn(dir: string, bin: string, args: string[]): Promise<string> {
  const env = { ...process.env, PROVIDER_URL: provider.url, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" };
  const { stdout, stderr } = await run(join(dir, "node_modules/.bin", bin), args, { cwd: dir, env }).catch(
    (err: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${bin} ${args.join(" ")} failed:\n${err.stdout ?? ""}\n${err.stderr ?? err.message}`);
    },
  );
  return `${stdout}\n${stderr}`;
}

/** Copies the agent and its test (with `typing` in place of jest's matcher typing, when given) into `dir`. */
function writeTest(dir: string, header = "", typing?: string): void {
  cpSync(join(fixtures, "agent.ts"), join(dir, "agent.ts"));
  let test = readFileSync(join(fixtures, "agent.test.ts"), "utf8");
  if (typing) test = test.replace(/declare global \{[\s\S]*?\n\}\n/, typing);
  writeFileSync(join(dir, "agent.test.ts"), `${header}${test}`);
}

/** The vitest typing of docs/testing.md: vitest 5's `Matchers`, or the `Assertion` line for vitest 3 and 4. */
function vitestTyping(major: number): string {
  if (major >= 5) return /```ts\n(declare module "vitest" \{[\s\S]*?)```/.exec(docs)![1];
  const line = /`(interface Assertion<T = any> extends JudgevalMatchers<T> \{\})`/.exec(docs)![1];
  return `declare module "vitest" {\n  ${line}\n}\n`;
}

describe.each([3, 4, 5])("vitest %i, the test using judgeval/testing", (major) => {
  let dir: string;
  beforeAll(async () => {
    // vite's esbuild (vitest 3) and rolldown (vite 8: vitest 4.1 and 5) are native optional dependencies
    dir = await cachedApp(
      `vitest-${major}`,
      { type: "module", dependencies: { vitest: `^${major}`, typescript: "^5", openai: OPENAI } },
      tarball,
      {
        optional: true,
      },
    );
    writeTest(dir, 'import { expect, test } from "vitest";\n', vitestTyping(major));
    // vitest 4.1 and 5 transform with vite 8's oxc, which lowers only the legacy decorators
    const compilerOptions = {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "bundler",
      strict: true,
      skipLibCheck: true,
      ...(major >= 4 ? { experimentalDecorators: true } : {}),
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }, null, 2));
  }, INSTALL_MILLIS);

  it(
    "passes: the @observe methods, the span and the wrapped client are captured",
    async () => {
      expect(await runIn(dir, "vitest", ["run"])).toMatch(/Tests\s+1 passed \(1\)/);
    },
    RUN_MILLIS,
  );
});

describe.each([29, 30])("jest %i, the test using judgeval/testing", (major) => {
  let dir: string;
  beforeAll(async () => {
    const dependencies = {
      jest: `^${major}`,
      "@types/jest": `^${major}`,
      "ts-jest": "^29.4",
      "babel-jest": `^${major}`,
      "@babel/core": "^7",
      "@babel/preset-env": "^7",
      "@babel/preset-typescript": "^7",
      "@babel/plugin-proposal-decorators": "^7",
      "@swc/jest": "^0.2",
      "@swc/core": "^1.16",
      typescript: "^5",
      "@types/node": "^22",
      openai: OPENAI,
    };
    // @swc/core's binary is a native optional dependency
    dir = await cachedApp(`jest-${major}`, { dependencies }, tarball, { optional: true });
    cpSync(join(fixtures, "runners"), dir, { recursive: true });
    writeTest(dir);
  }, INSTALL_MILLIS);

  it.each(["ts-jest", "babel-jest", "swc-jest"])(
    "passes with %s: the @observe methods, the span and the wrapped client are captured",
    async (transform) => {
      expect(await runIn(dir, "jest", ["--config", `jest.${transform}.config.js`, "--ci"])).toMatch(/Tests:\s+1 passed, 1 total/);
    },
    RUN_MILLIS,
  );
});
