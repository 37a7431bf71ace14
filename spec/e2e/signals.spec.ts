import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { useBackend } from "../support/backend.js";

const ctx = useBackend();
let seq = 0;

/** Runs the fixture until it prints "ready", sends `signal`, and returns how it ended and what was delivered. */
async function killWith(signal: NodeJS.Signals, mode: string) {
  const project = `signal-${mode}-${signal}-${++seq}`;
  const child = spawn(process.execPath, [resolve(__dirname, "../fixtures/signal-run.cjs")], {
    env: {
      ...process.env,
      MODE: mode,
      PROJECT: project,
      URL: ctx.tracerConfig.apiUrl,
      KEY: ctx.tracerConfig.apiKey,
      ORG: ctx.tracerConfig.organizationId,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("ready\n") && !child.killed) child.kill(signal);
  });
  const [code, endedBy] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  const projectId = ctx.backend.projectId(project);
  return { code, endedBy, stdout, delivered: projectId ? ctx.backend.spans({ projectId }).length : 0 };
}

describe("exit on a signal", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s without an app handler: pending spans are flushed, then the default exit", async (signal) => {
    const run = await killWith(signal, "default");
    expect(run.delivered).toBe(20);
    expect(run.endedBy).toBe(signal);
  });

  it("an app handler of its own is left in charge: the SDK neither flushes nor exits", async () => {
    const run = await killWith("SIGTERM", "own");
    expect(run.stdout).toContain("app handled SIGTERM");
    expect(run.code).toBe(3);
    expect(run.endedBy).toBeNull();
  });

  it("flushOnSignal: false keeps the default exit as it was (pending spans are lost)", async () => {
    const run = await killWith("SIGTERM", "opt-out");
    expect(run.endedBy).toBe("SIGTERM");
    expect(run.delivered).toBe(0);
  });
});
