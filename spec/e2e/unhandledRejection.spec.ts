/**
 * An observed function whose promise rejects, export on, against the same program bare: under
 * Node's default, `strict` and `warn` modes, with and without the app's own unhandledRejection
 * listener, the process exits with the same code and prints the same reason; a rejection the
 * caller handles is reported nowhere; the caller gets the very object where it has an identity
 * (a subclass with helpers, a promise with its own property); and every call's span reaches the
 * backend with its error, the ones of a process that crashed through the spool. Each run is its
 * own process: Node's unhandled-rejection tracking is process-wide.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { runNodeOutcome, type NodeOutcome } from "../support/node-process.js";

const root = resolve(__dirname, "../..");
const ctx = useBackend();
const project = `unhandled-${process.pid}`;
const spool = mkdtempSync(join(tmpdir(), "judgeval-unhandled-"));

const kinds = ["plain", "subclass", "own"] as const;
const modes = [[], ["--unhandled-rejections=strict"], ["--unhandled-rejections=warn"]];
const listeners = ["none", "listener"] as const;

function run(flags: string[], observed: boolean, kind: string, handling: string, listener: string): Promise<NodeOutcome> {
  const args = [...flags, join(root, "spec/fixtures/unhandled-rejection.cjs"), observed ? "on" : "bare", kind, handling, listener];
  return runNodeOutcome(ctx, project, args, { SPOOL: spool });
}

/**
 * What the app sees of its failure: the exit code, stdout, and stderr with the process id
 * masked and Node's source-line header of a crash left out (see docs/tracing.md).
 */
function seen({ code, stdout, stderr }: NodeOutcome) {
  const reason = stderr.replace(/\(node:\d+\)/g, "(node:PID)").replace(/^[^\n]*:\d+\n[^\n]*\n *\^\n\n/, "");
  return { code, stdout, stderr: reason };
}

/** Runs `cases` at most two at a time (the machine has two cores). */
async function inPairs<T>(cases: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < cases.length; i += 2) out.push(...(await Promise.all(cases.slice(i, i + 2).map((c) => c()))));
  return out;
}

describe("a rejected promise returned from an observed function, export on", () => {
  const runs: Array<{ name: string; bare: NodeOutcome; on: NodeOutcome }> = [];

  beforeAll(async () => {
    const cases: Array<() => Promise<void>> = [];
    for (const kind of kinds)
      for (const flags of modes)
        for (const listener of listeners)
          cases.push(async () => {
            const [bare, on] = await Promise.all([
              run(flags, false, kind, "unhandled", listener),
              run(flags, true, kind, "unhandled", listener),
            ]);
            runs.push({ name: `${kind} ${flags.join(" ") || "default"} ${listener}`, bare, on });
          });
    for (const kind of kinds)
      cases.push(async () => {
        const [bare, on] = await Promise.all([run([], false, kind, "handled", "none"), run([], true, kind, "handled", "none")]);
        runs.push({ name: `${kind} handled`, bare, on });
      });
    await inPairs(cases);
  }, 240000);

  it("exits and reports exactly as the same program without judgeval", () => {
    expect(runs).toHaveLength(21);
    for (const { name, bare, on } of runs) expect({ name, ...seen(on) }).toEqual({ name, ...seen(bare) });
    // the comparison has teeth: the default mode crashes with the reason, warn mode only warns
    const byName = new Map(runs.map((r) => [r.name, r.on]));
    expect(byName.get("plain default none")).toMatchObject({ code: 1, stderr: expect.stringContaining("Error: boom from fails") });
    expect(byName.get("plain --unhandled-rejections=warn none")).toMatchObject({
      code: 0,
      stderr: expect.stringContaining("UnhandledPromiseRejectionWarning: Error: boom from fails"),
    });
    expect(byName.get("plain default listener")).toMatchObject({ code: 0, stderr: "app saw: boom from fails\n" });
    expect(byName.get("subclass --unhandled-rejections=strict listener")!.code).toBe(1);
  });

  it("a rejection the caller handles is reported nowhere, and identity is kept where there is one", () => {
    const handled = Object.fromEntries(
      runs
        .filter((r) => r.name.endsWith(" handled"))
        .map((r) => [r.name, { code: r.on.code, stderr: r.on.stderr, saw: JSON.parse(r.on.stdout) as unknown }]),
    );
    expect(handled).toEqual({
      "plain handled": { code: 0, stderr: "", saw: { helper: "undefined", caught: "boom from fails" } },
      "subclass handled": { code: 0, stderr: "", saw: { helper: "function", caught: "boom from fails" } },
      "own handled": { code: 0, stderr: "", saw: { helper: "undefined", own: "kept", caught: "boom from fails" } },
    });
  });

  it("every observed call's span reaches the backend with its error, a crashed process's through the spool", async () => {
    // the processes that crashed left their spans in the spool: the next process of the project sends them
    const tracer = Tracer.init({ ...ctx.tracerConfig, projectName: project, spoolDir: spool, setActive: false });
    await tracer.ready;
    await tracer.forceFlush(10000);
    await tracer.shutdown(10000);
    const spans = await ctx.backend.waitForSpans(21, { projectId: ctx.backend.projectId(project) });
    const failed = spans.filter((s) => s.name === "fails");
    expect(failed).toHaveLength(21);
    for (const s of failed) expect(s.status).toEqual({ code: "error", message: "boom from fails" });
  });
});
