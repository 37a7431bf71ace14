import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { fixtureEnv, useBackend } from "../support/backend.js";

const ctx = useBackend();

afterEach(() => ctx.backend.clearFaults());

describe("shutdown and the spool across restarts", () => {
  const run = promisify(execFile);
  const spoolRun = (env: Record<string, string>) =>
    run(process.execPath, [resolve(__dirname, "../fixtures/spool-run.cjs")], {
      env: { ...process.env, ...fixtureEnv(ctx), ...env },
      timeout: 20000,
    });

  it("a hanging backend cannot hold shutdown past its timeout; the batch is spooled and a later process delivers it", async () => {
    const spool = mkdtempSync(join(tmpdir(), "judgeval-spool-"));
    ctx.backend.injectFault({ route: "ingest", hang: true, times: Infinity });
    // The backend never answers while the fault stands: the process can only finish because
    // shutdown gave up at its timeout.
    const first = await spoolRun({ SPOOL: spool, SPANS: "25", SHUTDOWN_MS: "1000" });
    expect(JSON.parse(first.stdout)).toEqual({ shutDown: true });
    expect(readdirSync(spool).filter((f) => f.endsWith(".otlp")).length).toBeGreaterThan(0);
    const projectId = ctx.backend.projectId("spooled")!;
    expect(ctx.backend.spans({ projectId })).toHaveLength(0);

    ctx.backend.clearFaults();
    await spoolRun({ SPOOL: spool, SPANS: "0", SHUTDOWN_MS: "10000", TIMEOUT_MS: "5000" });
    const spans = await ctx.backend.waitForSpans((all) => all.filter((s) => s.projectId === projectId).length >= 25, { timeoutMs: 10000 });
    expect(spans.filter((s) => s.projectId === projectId)).toHaveLength(25);
    expect(readdirSync(spool).filter((f) => f.endsWith(".otlp"))).toHaveLength(0);
  });
});
