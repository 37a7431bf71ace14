import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { fixtureEnv, type StartedBackend } from "./backend.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");

/**
 * Runs a Node script in its own process with the backend's credentials in PROJECT, URL, KEY and
 * ORG (and the repository's node_modules on NODE_PATH, for scripts outside it); resolves with
 * its stdout. Rejects when it fails or outlives `timeout` ms.
 */
export async function runNode(ctx: StartedBackend, projectName: string, args: string[], timeout = 30000): Promise<string> {
  return (await runNodeOutput(ctx, projectName, args, timeout)).stdout;
}

/** {@link runNode}, resolving with what the process wrote to stderr too (the SDK's warnings). */
export async function runNodeOutput(
  ctx: StartedBackend,
  projectName: string,
  args: string[],
  timeout = 30000,
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, args, { env: envFor(ctx, projectName), timeout });
}

/** How a process ended: exit code and both outputs. */
export interface NodeOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Like {@link runNode}, for a process that may fail: resolves with its exit code and outputs. */
export function runNodeOutcome(
  ctx: StartedBackend,
  projectName: string,
  args: string[],
  env: Record<string, string> = {},
  timeout = 30000,
): Promise<NodeOutcome> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...envFor(ctx, projectName), ...env }, timeout }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      if (typeof code !== "number") return reject(err ?? new Error("no exit code"));
      resolve({ code, stdout, stderr });
    });
  });
}

function envFor(ctx: StartedBackend, projectName: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...fixtureEnv(ctx, projectName),
    NODE_PATH: join(root, "node_modules"),
  };
}
