import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { useBackend } from "../support/backend.js";

const ctx = useBackend();

describe("an experiment stopped by Ctrl-C", () => {
  it("keeps and delivers the items that finished, prints the partial table, then ends by SIGINT", async () => {
    const project = `experiment-interrupt-${process.pid}`;
    const child = spawn(process.execPath, [resolve(__dirname, "../fixtures/experiment-interrupt.cjs")], {
      env: {
        ...process.env,
        PROJECT: project,
        URL: ctx.tracerConfig.apiUrl,
        KEY: ctx.tracerConfig.apiKey,
        ORG: ctx.tracerConfig.organizationId,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("half\n") && !child.killed) child.kill("SIGINT");
    });
    const [code, endedBy] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    expect({ code, endedBy }).toEqual({ code: null, endedBy: "SIGINT" });
    expect(stdout).not.toContain("the run resolved");

    // The partial table: 25 finished, 8 in flight cancelled, 17 never started.
    expect(stdout).toMatch(/Experiment interrupted-[0-9a-f]{8}: 50 items, 25 ok, 0 failed, 8 cancelled, 17 not run/);
    expect(stdout).toMatch(/exact_match\s+1\.000\s+100\.0%\s+0\s+25/);
    // The client sends to a local backend: the run's page in it.
    const runId = /Experiment (interrupted-[0-9a-f]{8})/.exec(stdout)![1];
    expect(stdout).toContain(`view and compare runs: ${ctx.backend.url}/experiments?b=${runId}\n`);
    // Not a TTY: a plain progress line every fifth item.
    expect(stderr.match(/: \d+\/50 done/g)).toEqual(["5", "10", "15", "20", "25"].map((n) => `: ${n}/50 done`));

    // As the backend received them: the 25 finished items' roots, each with its score, each an Example's trace.
    const projectId = ctx.backend.projectId(project)!;
    const roots = ctx.backend.spans({ projectId, offline: true }).filter((s) => s.parentSpanId === null);
    const scored = roots.filter((r) => r.attributes["judgeval.experiment.scores"] !== undefined);
    expect(scored.map((r) => r.attributes["judgeval.experiment.item"]).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 25 }, (_, n) => n),
    );
    for (const root of scored)
      expect(JSON.parse(root.attributes["judgeval.experiment.scores"] as string)).toEqual([{ name: "exact_match", score: 1, pass: true }]);
    // An in-flight item given the abort in time ends its trace as an error saying why; none is scored.
    for (const root of roots.filter((r) => !scored.includes(r))) {
      expect(root.attributes["judgeval.experiment.item"]).toBeGreaterThanOrEqual(25);
      expect(root.status).toEqual({ code: "error", message: "experiment interrupted (Ctrl-C)" });
    }
    const examples = stdout
      .split("\n")
      .filter((l) => l.startsWith("example "))
      .map((l) => JSON.parse(l.slice("example ".length)) as Record<string, unknown>);
    expect(examples).toHaveLength(25);
    expect(new Set(examples.map((e) => e.offline_trace_id))).toEqual(new Set(scored.map((r) => r.traceId)));
    for (const e of examples) expect(Object.keys(e).slice(0, 3)).toEqual(["example_id", "created_at", "name"]);
  });
});
