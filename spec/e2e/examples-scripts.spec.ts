import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");

/**
 * Runs an example the way its npm script does (`ts-node --transpile-only` with the SQLite warning dropped, the package's own
 * exports resolved to dist, which `npm test` builds first) with no credentials in the environment.
 */
async function script(file: string): Promise<string> {
  const tsNode = require.resolve("ts-node/dist/bin.js");
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const quiet = resolve(root, "dist/cjs/dev/cli/quiet-sqlite-warning.js");
  const { stdout, stderr } = await run(process.execPath, [tsNode, "--transpile-only", "-r", quiet, resolve(root, "examples", file)], {
    cwd: root,
    env,
    timeout: 60_000,
  });
  // A first run prints no warning (stderr carries only the experiment's progress bar): in particular
  // not Node 22's SQLite experimental warning.
  expect(stderr).not.toMatch(/warning/i);
  return stdout;
}

describe("the README's example scripts, run as `npm run demo` and `npm run experiment` do", () => {
  it("examples/demo.ts prints the agent's trace tree from the built-in backend", async () => {
    const out = await script("demo.ts");
    expect(out).toMatch(/^answer: About 1\.3 light-seconds: 2 sources agree\. \(1\.28 s\)$/m);
    expect(out).toMatch(/^trace [0-9a-f]{32} \(\d+ spans\)$/m);
    const tree = out
      .split("\n")
      .filter((l) => /\[\w+\] [\d.]+ ms/.test(l))
      .map((l) => l.replace(/ [\d.]+ ms.*$/, ""));
    expect(tree).toEqual([
      "run [agent]",
      "  search [tool]",
      "  reason [span]",
      "    calculate [tool]",
      "  stream_answer [llm]",
      ...Array<string>(6).fill("    stream_answer [generator_item]"),
    ]);
    // Without --keep the backend is closed: the script must not print a viewer URL for it.
    expect(out).not.toMatch(/viewer: http/);
    expect(out).toContain("npm run demo -- --keep");
  });

  it("examples/experiment.ts runs every item in its own offline trace, scores it and prints the table", async () => {
    const out = await script("experiment.ts");
    const first = /^6 examples, the first: (\{.*\})$/m.exec(out);
    expect(first).not.toBeNull();
    expect(JSON.parse(first![1])).toEqual(
      expect.objectContaining({ expected_output: "30 days", offline_trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) }),
    );
    expect(out).toMatch(/^offline traces stored: 6$/m);
    // the electronics answer says 14 days: contains() fails it, the length scorer passes all six
    expect(out).toMatch(/^contains\s+0\.833\s+83\.3%\s+0\s+6$/m);
    expect(out).toMatch(/^concise\s+1\.000\s+100\.0%\s+0\s+6$/m);
  });
});
