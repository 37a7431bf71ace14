/**
 * The start-up integrity check of a database file: SQLite's `PRAGMA quick_check` (every page's structure, not the
 * index contents), on its own read-only connection in a worker thread. It reads the whole file — about 4 s a GiB
 * here — so it must not run on the event loop that serves ingest and the viewer.
 */
import type { IntegrityState } from "../trace-store.js";

/** Findings reported at most. */
const MAX_PROBLEMS = 10;

// Plain JavaScript, evaluated by the worker: it needs no file of this package on disk (bundles, ts sources).
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule("node:worker_threads");
// This thread is ours: Node 22's one-time "SQLite is an experimental feature" warning, which a thread
// prints on its own, says nothing to the user here.
const emit = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const message = typeof warning === "string" ? warning : warning && warning.message;
  if (!/^SQLite is an experimental feature\\b/.test(String(message))) emit(warning, ...rest);
};
let db;
try {
  const { DatabaseSync } = process.getBuiltinModule("node:sqlite");
  db = new DatabaseSync(workerData.file, { readOnly: true });
  const rows = db.prepare("PRAGMA quick_check(" + workerData.max + ")").all();
  parentPort.postMessage({ problems: rows.map((r) => String(Object.values(r)[0])).filter((p) => p !== "ok") });
} catch (err) {
  parentPort.postMessage({ problems: [String(err && err.message || err)] });
} finally {
  try { db && db.close(); } catch {}
}`;

interface WorkerLike {
  once(event: "message", listener: (message: { problems: string[] }) => void): unknown;
  once(event: "error", listener: (err: Error) => void): unknown;
  unref(): void;
  terminate(): unknown;
}
type WorkerModule = { Worker: new (source: string, options: object) => WorkerLike };

/** A running check: its current state, and a way to stop it (on close). */
export interface IntegrityCheck {
  readonly current: IntegrityState;
  stop(): void;
}

/**
 * Starts checking `file` in a worker thread; `onDamage` hears the findings when there are any. Without worker threads
 * (or when the worker cannot start) the state stays `unchecked`: the damage is still found by the reads that meet it.
 */
export function startIntegrityCheck(file: string, onDamage: (problems: string[]) => void): IntegrityCheck {
  let current: IntegrityState = { state: "unchecked" };
  let worker: WorkerLike | undefined;
  try {
    const mod = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:worker_threads") as
      WorkerModule | undefined;
    if (mod) worker = new mod.Worker(WORKER_SOURCE, { eval: true, workerData: { file, max: MAX_PROBLEMS } });
  } catch {
    worker = undefined;
  }
  if (worker) {
    current = { state: "checking" };
    // The check never keeps the process alive.
    worker.unref();
    worker.once("message", ({ problems }) => {
      current = problems.length === 0 ? { state: "ok" } : { state: "damaged", problems };
      worker = undefined;
      if (problems.length > 0) onDamage(problems);
    });
    worker.once("error", () => {
      current = { state: "unchecked" };
      worker = undefined;
    });
  }
  return {
    get current() {
      return current;
    },
    stop() {
      void worker?.terminate();
      worker = undefined;
    },
  };
}
