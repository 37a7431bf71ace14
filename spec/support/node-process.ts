import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { StartedBackend } from "./backend.js";

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
  const env = {
    ...process.env,
    PROJECT: projectName,
    URL: ctx.tracerConfig.apiUrl,
    KEY: ctx.tracerConfig.apiKey,
    ORG: ctx.tracerConfig.organizationId,
    NODE_PATH: join(root, "node_modules"),
  };
  return run(process.execPath, args, { env, timeout });
}
