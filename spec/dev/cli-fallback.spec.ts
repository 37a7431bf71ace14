import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBackend, PersistenceUnavailableError } from "../../lib/dev/index.js";
import type { CliIO } from "../../lib/dev/cli/dev.js";
import { main } from "../../lib/dev/cli/main.js";
import { ingest, newSpanId, newTraceId } from "../support/otlp-fixtures.js";

// As in a runtime without node:sqlite (Node started with --no-experimental-sqlite, or an older
// one): the built-in is hidden from the store's lookup, everything else resolves as usual.
describe("without any SQLite engine", () => {
  let dataPath: string;
  const getBuiltinModule = process.getBuiltinModule.bind(process);
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-nosqlite-"));
    jest.spyOn(process, "getBuiltinModule").mockImplementation((id: string) => (id === "node:sqlite" ? undefined : getBuiltinModule(id)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataPath, { recursive: true, force: true });
  });

  it("LocalBackend.start({ dataPath }) rejects with PersistenceUnavailableError", async () => {
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(PersistenceUnavailableError);
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(/no SQLite engine in this runtime/);
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
      expect(backend.sessions().map((s) => [s.sessionId, s.traceCount])).toEqual([["s1", 1]]);
      const example = newTraceId();
      const resource = { "judgment.experiment.run": "baseline" };
      const offline = { traceId: example, spanId: newSpanId(), name: "example", attributes: { "judgment.output": '"yes"' } };
      expect((await ingest(backend, [offline], { offline: true, resource })).status).toBe(200);
      expect(backend.experiments().map((r) => [r.name, r.examples.map((e) => [e.traceId, e.output])])).toEqual([
        ["baseline", [[example, '"yes"']]],
      ]);
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
