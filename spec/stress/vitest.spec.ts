import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { installApp, packJudgeval } from "../support/npm-app.js";

const run = promisify(execFile);
const docs = readFileSync(resolve(__dirname, "../../docs/testing.md"), "utf8");

/** The fenced `ts` blocks of docs/testing.md, in order. */
const blocks = [...docs.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const jestExample = blocks.find((b) => b.includes("declare global") && b.includes("test("))!;
const vitestTyping = blocks.find((b) => b.includes('declare module "vitest"'))!;

// vitest 5 installs vite 8 and its oxc transform from the registry: a minute or more, hence stress.
describe("docs/testing.md's example under vitest 5, as the docs say to run it", () => {
  let dir: string;
  beforeAll(async () => {
    // vite 8 bundles with rolldown, whose native binding is an optional dependency
    dir = await installApp(await packJudgeval(), { vitest: "5.1.2", typescript: "5.9.3" }, { optional: true });
    const example = jestExample.replace(/declare global \{[\s\S]*?\n\}\n/, vitestTyping);
    writeFileSync(join(dir, "example.test.ts"), `import { expect, test } from "vitest";\n${example}`);
    const compilerOptions = {
      target: "ES2022",
      module: "nodenext",
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      experimentalDecorators: true,
      types: [],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["example.test.ts"] }));
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ ...JSON.parse(readFileSync(join(dir, "package.json"), "utf8")), type: "module" }),
    );
  }, 600000);

  it("type-checks with skipLibCheck off", async () => {
    await expect(run(join(dir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: dir })).resolves.toBeDefined();
  }, 120000);

  it("runs and passes both tests", async () => {
    const { stdout } = await run(join(dir, "node_modules/.bin/vitest"), ["run", "--reporter=verbose"], {
      cwd: dir,
      env: { ...process.env, CI: "true", NO_COLOR: "1" },
    });
    expect(stdout).toMatch(/Tests\s+2 passed \(2\)/);
  }, 120000);
});
