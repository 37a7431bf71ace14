import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
export { isCI } from "./optional-deps.js";

/** Flags for Debian's chromium in a container: no sandbox, no GPU, no network chatter. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Path of the system chromium (`CHROMIUM_PATH` wins), or undefined when not installed. */
export function findChromium(): string | undefined {
  if (process.env["CHROMIUM_PATH"]) return process.env["CHROMIUM_PATH"];
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const path = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (path) return path;
    } catch {
      // not on PATH under this name
    }
  }
  return undefined;
}

/** Launches the system chromium through playwright-core (never a downloaded browser). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Where a viewer screenshot goes: docs/ with JUDGEVAL_UPDATE_SCREENSHOTS=1 (to refresh the documentation's images),
 * else a temporary directory, so a test run leaves the tree clean.
 */
export const screenshotDir =
  process.env["JUDGEVAL_UPDATE_SCREENSHOTS"] === "1"
    ? join(__dirname, "..", "..", "docs")
    : mkdtempSync(join(tmpdir(), "judgeval-viewer-"));
