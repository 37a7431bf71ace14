import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBackend, PersistenceUnavailableError } from "../../../lib/dev/index.js";
import type { CliIO } from "../../../lib/dev/cli/dev.js";
import { main } from "../../../lib/dev/cli/main.js";

// As on a machine where the optional native dependency failed to build.
jest.mock("better-sqlite3", () => {
  throw new Error("Could not locate the bindings file");
});

describe("without better-sqlite3", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-nosqlite-"));
  });
  afterEach(() => rmSync(dataPath, { recursive: true, force: true }));

  it("LocalBackend.start({ dataPath }) rejects with PersistenceUnavailableError", async () => {
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(PersistenceUnavailableError);
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(/better-sqlite3.*bindings file/);
  });

  it("judgeval dev warns and serves from memory", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const signals = new EventEmitter();
    const started = new EventEmitter();
    const io: CliIO = {
      out: (line) => {
        out.push(line);
        if (line.includes("Ctrl-C")) started.emit("started");
      },
      err: (line) => err.push(line),
      onSignal: (handler) => {
        signals.on("signal", handler);
        return () => signals.off("signal", handler);
      },
    };
    const isStarted = new Promise((r) => started.once("started", r));
    const exited = main(["dev", "--port", "0", "--data", dataPath], io);
    await isStarted;
    expect(out.join("\n")).toContain("data     (memory only)");
    expect(err.join("\n")).toMatch(/warning: persistence needs the optional dependency better-sqlite3[\s\S]*memory only/);
    signals.emit("signal", "SIGINT");
    expect(await exited).toBe(0);
  });
});
