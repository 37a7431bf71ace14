import { resolve } from "node:path";
import { DATABASE_FILE, LocalBackend, type LocalBackendOptions } from "../index.js";
import type { Command } from "./args.js";
import { isLoopbackName } from "../server/host-check.js";
import { redactUserinfo } from "../server/forwarder.js";

/** Where the CLI writes and which signals it listens to; injectable for tests. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void;
}

/** The CLI's real IO: the process's streams and signals. */
export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onSignal(handler) {
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  },
};

async function startBackend(cmd: Extract<Command, { kind: "dev" }>, io: CliIO): Promise<LocalBackend> {
  const base: LocalBackendOptions = {
    port: cmd.port,
    host: cmd.host,
    apiKey: cmd.apiKey,
    organizationId: cmd.organizationId,
    allowedHosts: cmd.allowedHosts,
    forwardTo: cmd.forwardTo,
    onWarning: (message) => io.err(`warning: ${message}`),
    retention: {
      maxAgeMs: cmd.maxAgeDays === undefined ? undefined : cmd.maxAgeDays * 24 * 60 * 60 * 1000,
      maxBytes: cmd.maxDbMb === undefined ? undefined : cmd.maxDbMb * 1024 * 1024,
    },
  };
  return LocalBackend.start({ ...base, dataPath: resolve(cmd.dataPath) });
}

function banner(backend: LocalBackend, cmd: Extract<Command, { kind: "dev" }>, io: CliIO): void {
  const data = backend.dataPath ? `${backend.dataPath}/${DATABASE_FILE}` : "(memory only)";
  io.out(`judgeval dev: local backend and trace viewer`);
  io.out("");
  io.out(`  viewer   ${backend.url}/`);
  io.out(`  api url  ${backend.url}`);
  io.out(`  api key  ${backend.apiKey}`);
  io.out(`  org id   ${backend.organizationId}`);
  io.out(`  data     ${data}`);
  if (cmd.forwardTo) io.out(`  forward  ${redactUserinfo(cmd.forwardTo)}`);
  io.out("");
  io.out("Point the SDK at it (paste into the shell that runs your code):");
  io.out("");
  io.out(`  export JUDGMENT_API_URL=${backend.url}`);
  io.out(`  export JUDGMENT_API_KEY=${backend.apiKey}`);
  io.out(`  export JUDGMENT_ORG_ID=${backend.organizationId}`);
  io.out("");
  io.out("Ctrl-C to stop.");
}

/** Resolves with the first signal; a second one calls `onForce`. */
function stopSignals(io: CliIO, onForce: () => void): { first: Promise<NodeJS.Signals>; dispose(): void } {
  let seen = false;
  let resolveFirst!: (signal: NodeJS.Signals) => void;
  const first = new Promise<NodeJS.Signals>((r) => (resolveFirst = r));
  const dispose = io.onSignal((signal) => {
    if (seen) return onForce();
    seen = true;
    resolveFirst(signal);
  });
  return { first, dispose };
}

/**
 * Runs `judgeval dev` until SIGINT or SIGTERM; resolves with the exit code.
 * A second signal while stopping exits at once.
 */
export async function runDev(cmd: Extract<Command, { kind: "dev" }>, io: CliIO): Promise<number> {
  if (!isLoopbackName(cmd.host)) {
    io.err(
      `warning: --host ${cmd.host} is not loopback: anyone who can reach this address can read your traces ` +
        "(the viewer and query API have no authentication) and send spans with the printed key",
    );
  }
  let forced!: (code: number) => void;
  const forcedStop = new Promise<number>((r) => (forced = r));
  // Listen before anything is printed: whoever reads the banner may signal at once.
  const signals = stopSignals(io, () => {
    io.err("forced stop");
    forced(130);
  });
  try {
    let backend: LocalBackend;
    try {
      backend = await startBackend(cmd, io);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE") io.err(`error: port ${cmd.port} on ${cmd.host} is in use; pick another with --port`);
      else io.err(`error: could not start: ${(err as Error).message}`);
      return 1;
    }
    banner(backend, cmd, io);
    const signal = await signals.first;
    io.out(`\n${signal}: stopping…`);
    const stopped = backend.close().then(
      () => {
        io.out("stopped.");
        return 0;
      },
      (err: unknown) => {
        io.err(`error while stopping: ${String(err)}`);
        return 1;
      },
    );
    return await Promise.race([stopped, forcedStop]);
  } finally {
    signals.dispose();
  }
}
