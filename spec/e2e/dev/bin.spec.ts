import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sqliteAvailable } from "../../support/optional-deps.js";

const root = resolve(__dirname, "../../..");
// Without a SQLite engine the CLI falls back to memory.
const persistent = sqliteAvailable();

/** The installed command: bin/judgeval.js on the built CLI, as a child process (spec/dev/cli.spec.ts runs it in-process). */
describe("judgeval CLI from bin/", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-cli-"));
  });
  afterEach(() => rmSync(dataPath, { recursive: true, force: true }));

  it("bin/judgeval.js runs the built CLI quietly and stops cleanly on SIGINT", async () => {
    if (!existsSync(join(root, "dist/cjs/dev/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
    const preload = join(root, "spec/fixtures/other-warnings.cjs");
    const child = spawn(process.execPath, ["--require", preload, join(root, "bin/judgeval.js"), "dev", "--port", "0"], { cwd: dataPath });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (err += chunk));
    const banner = new Promise<void>((resolveBanner) => {
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("Ctrl-C to stop.")) resolveBanner();
      });
    });
    // "close", not "exit": the exit can come before the last of stderr has been read
    const exit = once(child, "close");
    await Promise.race([banner, exit.then(() => Promise.reject(new Error(`CLI exited early: ${out}`)))]);
    expect(out).toContain("export JUDGMENT_API_URL=http://127.0.0.1:");
    child.kill("SIGINT");
    const [code] = await exit;
    expect(code).toBe(0);
    // Node 22 flags node:sqlite as experimental; the command drops that warning and only that one.
    expect(err).not.toContain("SQLite is an experimental feature");
    expect(err).toContain("ExperimentalWarning: Widgets are an experimental feature");
    expect(err).toContain("Warning: a plain warning from the app");
    // Default data directory is in the working directory.
    expect(existsSync(join(dataPath, ".judgeval", "judgeval-dev.sqlite"))).toBe(persistent);
  });
});
