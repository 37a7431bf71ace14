import { EventEmitter, once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_DEV_PORT, parseCommand, UsageError } from "../../lib/dev/cli/args.js";
import type { CliIO } from "../../lib/dev/cli/dev.js";
import { isLoopbackName } from "../../lib/dev/server/host-check.js";
import { main } from "../../lib/dev/cli/main.js";
import { sqliteAvailable } from "../support/optional-deps.js";

// Without a SQLite engine the CLI refuses to start (no-sqlite.spec.ts covers that path).
const persistent = sqliteAvailable();

/** In-memory CLI IO: collected lines, a way to wait for one, and a fake signal source. */
function fakeIO() {
  const lines: string[] = [];
  const errors: string[] = [];
  const events = new EventEmitter();
  const signals = new EventEmitter();
  const io: CliIO = {
    out: (line) => {
      lines.push(line);
      events.emit("line");
    },
    err: (line) => errors.push(line),
    onSignal(handler) {
      signals.on("signal", handler);
      return () => signals.off("signal", handler);
    },
  };
  const waitForLine = async (text: string): Promise<void> => {
    while (!lines.some((l) => l.includes(text))) await once(events, "line");
  };
  return { io, lines, errors, waitForLine, signal: (name: NodeJS.Signals) => signals.emit("signal", name) };
}

describe("judgeval CLI", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-cli-"));
  });
  afterEach(() => rmSync(dataPath, { recursive: true, force: true }));

  it("parses dev options with their defaults", () => {
    expect(parseCommand(["dev"])).toEqual({
      kind: "dev",
      port: DEFAULT_DEV_PORT,
      host: "127.0.0.1",
      dataPath: ".judgeval",
      apiKey: undefined,
      organizationId: undefined,
      allowedHosts: [],
      forwardTo: undefined,
      maxAgeDays: undefined,
      maxDbMb: undefined,
    });
    expect(
      parseCommand([
        "dev",
        "--port",
        "0",
        "--host",
        "::1",
        "--data",
        "/x",
        "--api-key",
        "k",
        "--org-id",
        "o",
        "--allow-host",
        "box.local",
        "--allow-host",
        "devbox:4319",
        "--forward",
        "http://127.0.0.1:4318/v1/traces",
        "--max-age-days",
        "0",
        "--max-db-mb",
        "50",
      ]),
    ).toEqual({
      kind: "dev",
      port: 0,
      host: "::1",
      dataPath: "/x",
      apiKey: "k",
      organizationId: "o",
      allowedHosts: ["box.local", "devbox:4319"],
      forwardTo: "http://127.0.0.1:4318/v1/traces",
      maxAgeDays: 0,
      maxDbMb: 50,
    });
    expect(parseCommand([])).toEqual({ kind: "help" });
    expect(parseCommand(["dev", "--help"])).toEqual({ kind: "help" });
    for (const bad of [
      ["dev", "--port", "http"],
      ["dev", "--port", "70000"],
      ["serve"],
      ["dev", "--nope"],
      ["dev", "extra"],
      ["dev", "--data", ""],
      ["dev", "--forward", "file:///etc/passwd"],
      ["dev", "--forward", "nope"],
      ["dev", "--max-db-mb", "0"],
      ["dev", "--max-age-days", "-1"],
    ]) {
      expect(() => parseCommand(bad)).toThrow(UsageError);
    }
  });

  it("tells loopback addresses apart", () => {
    expect(["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"].every(isLoopbackName)).toBe(true);
    expect(["0.0.0.0", "192.168.1.4", "::", "example.com"].some(isLoopbackName)).toBe(false);
  });

  it("prints help, and usage errors with exit code 2", async () => {
    const help = fakeIO();
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.lines.join("\n")).toMatch(/Usage: judgeval <command>[\s\S]*dev[\s\S]*--port[\s\S]*--host[\s\S]*--data/);
    const bad = fakeIO();
    expect(await main(["dev", "--port", "x"], bad.io)).toBe(2);
    expect(bad.errors.join("\n")).toContain("--port must be an integer");
  });

  it("runs dev: prints URL, key, org and export lines, serves, and stops on a signal", async () => {
    const cli = fakeIO();
    const exited = main(["dev", "--port", "0", "--data", dataPath], cli.io);
    await cli.waitForLine("Ctrl-C to stop.");
    const text = cli.lines.join("\n");
    const url = /export JUDGMENT_API_URL=(\S+)/.exec(text)![1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(text).toContain("export JUDGMENT_API_KEY=local-dev-key");
    expect(text).toContain("export JUDGMENT_ORG_ID=local-dev-org");
    expect(text).toContain(`viewer   ${url}/`);
    if (persistent) {
      expect(text).toContain(join(dataPath, "judgeval-dev.sqlite"));
      expect(cli.errors).toEqual([]);
    }
    expect((await fetch(`${url}/api/traces`)).status).toBe(200);

    cli.signal("SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/api/traces`)).rejects.toThrow();
    expect(existsSync(join(dataPath, "judgeval-dev.sqlite"))).toBe(persistent);
  });

  it("never prints the credentials of a --forward URL: banner and usage errors", async () => {
    const cli = fakeIO();
    const exited = main(["dev", "--port", "0", "--data", dataPath, "--forward", "http://user:hunter2@127.0.0.1:9/v1/traces"], cli.io);
    await cli.waitForLine("Ctrl-C to stop.");
    expect(cli.lines).toContain("  forward  http://[REDACTED]@127.0.0.1:9/v1/traces");
    cli.signal("SIGINT");
    expect(await exited).toBe(0);
    const bad = fakeIO();
    expect(await main(["dev", "--forward", "ftp://user:hunter2@example.com/"], bad.io)).toBe(2);
    expect(bad.errors.join("\n")).toContain('--forward must be an http(s) URL, got "ftp://[REDACTED]@example.com/"');
    expect([...cli.lines, ...cli.errors, ...bad.lines, ...bad.errors].join("\n")).not.toContain("hunter2");
  });

  it("warns on a non-loopback host", async () => {
    const cli = fakeIO();
    const exited = main(["dev", "--port", "0", "--host", "0.0.0.0", "--data", dataPath], cli.io);
    await cli.waitForLine("Ctrl-C to stop.");
    expect(cli.errors.join("\n")).toMatch(/warning: --host 0\.0\.0\.0 is not loopback/);
    cli.signal("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("reports a port in use and exits 1", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cli = fakeIO();
      expect(await main(["dev", "--port", String(port), "--data", dataPath], cli.io)).toBe(1);
      expect(cli.errors.join("\n")).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      blocker.close();
    }
  });
});
