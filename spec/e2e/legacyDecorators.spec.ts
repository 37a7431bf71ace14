/**
 * `@observe()` type-checks in an `experimentalDecorators` project (NestJS, TypeORM, Angular):
 * the compiler runs as a child process on the fixture's tsconfig.
 */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");

describe("@observe under experimentalDecorators", () => {
  it("type-checks in an experimentalDecorators project", async () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    await expect(run(process.execPath, [tsc, "-p", join(root, "spec/fixtures/legacy/tsconfig.json")])).resolves.toBeDefined();
  }, 60000);
});
