import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";

/** The runtimes scripts/runtime.sh installs from the npm registry into the runtime cache. */
export type RuntimeName = "node22" | "node24" | "node26" | "bun" | "deno" | "workerd" | "edge-runtime";

/**
 * The path scripts/runtime.sh gives for `name` (a binary, or the edge runtime's entry), installing
 * it into the runtime cache on first use.
 */
export function runtimePath(name: RuntimeName): string {
  const script = join(resolve(__dirname, "../.."), "scripts", "runtime.sh");
  return execFileSync(script, [name], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}
