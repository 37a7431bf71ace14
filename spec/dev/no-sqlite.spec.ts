import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBackend, PersistenceUnavailableError } from "../../lib/dev/index.js";
import type { CliIO } from "../../lib/dev/cli/dev.js";
import { main } from "../../lib/dev/cli/main.js";

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

  it("LocalBackend.start rejects with PersistenceUnavailableError, with or without a data path", async () => {
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(PersistenceUnavailableError);
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(/no SQLite engine in this runtime/);
    await expect(LocalBackend.start()).rejects.toThrow(PersistenceUnavailableError);
    await expect(LocalBackend.start()).rejects.toThrow(/use Node >= 22\.15, Bun or Deno/);
  });

  it("judgeval dev says why it cannot start and exits with 1", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (line) => out.push(line), err: (line) => err.push(line), onSignal: () => () => undefined };
    expect(await main(["dev", "--port", "0", "--data", dataPath], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^error: could not start: persistence is unavailable: no SQLite engine in this runtime/)]);
    expect(out).toEqual([]);
  });
});
