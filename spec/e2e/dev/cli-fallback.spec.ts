import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBackend, PersistenceUnavailableError } from "../../../lib/dev/index.js";
import type { CliIO } from "../../../lib/dev/cli/dev.js";
import { main } from "../../../lib/dev/cli/main.js";
import { ingest, newSpanId, newTraceId } from "../../support/otlp-fixtures.js";

// As on Node 20 where the optional native dependency failed to build (this file runs on Node 20,
// which has no node:sqlite; on newer runtimes node:sqlite wins and the mock changes nothing).
const withoutEngine = !process.versions.bun && !("Deno" in globalThis) && Number(process.versions.node.split(".")[0]) < 22;
jest.mock("better-sqlite3", () => {
  throw new Error("Could not locate the bindings file");
});

(withoutEngine ? describe : describe.skip)("without any SQLite engine", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-nosqlite-"));
  });
  afterEach(() => rmSync(dataPath, { recursive: true, force: true }));

  it("LocalBackend.start({ dataPath }) rejects with PersistenceUnavailableError", async () => {
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(PersistenceUnavailableError);
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(/better-sqlite3.*bindings file/);
  });

  it("LocalBackend.start() keeps spans in bounded JavaScript memory and says so", async () => {
    const backend = await LocalBackend.start();
    try {
      expect(backend.storageMode).toBe("memory");
      expect(backend.storageWarning).toMatch(/memory only \(at most the newest 100000\)/);
      const traceId = newTraceId();
      expect(
        (await ingest(backend, [{ traceId, spanId: newSpanId(), name: "kept", attributes: { "judgment.session_id": "s1" } }])).status,
      ).toBe(200);
      expect(backend.traces({ sessionId: "s1" }).map((t) => t.rootName)).toEqual(["kept"]);
      expect(backend.tracePage({ text: "kept" }).traces.map((t) => t.traceId)).toEqual([traceId]);
    } finally {
      await backend.close();
    }
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
    expect(err.join("\n")).toMatch(/warning: persistence is unavailable: no SQLite engine[\s\S]*memory only/);
    // One warning, not one per subsystem.
    expect(err.filter((l) => l.startsWith("warning")).length).toBe(2);
    signals.emit("signal", "SIGINT");
    expect(await exited).toBe(0);
  });
});
