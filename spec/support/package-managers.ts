import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * The package managers besides npm, each installed from the npm registry as an npm package (no
 * corepack, no download of its own): pnpm, yarn 1 (classic) and yarn 4 (berry, with the
 * node-modules linker).
 */
export const MANAGERS = {
  pnpm: { pkg: "pnpm@12.26.0", bin: "pnpm/pnpm" },
  "yarn 1": { pkg: "yarn@1.22.22", bin: "yarn/bin/yarn.js" },
  "yarn 4": { pkg: "@yarnpkg/cli-dist@4.18.1", bin: "@yarnpkg/cli-dist/bin/yarn.js" },
} as const;
export type Manager = keyof typeof MANAGERS;

/** The managers' binaries and their package stores: `$JUDGEVAL_PM_CACHE`, else `~/.cache/judgeval-package-managers`. */
const cache = process.env["JUDGEVAL_PM_CACHE"] ?? join(homedir(), ".cache/judgeval-package-managers");

/** The command line that runs `manager`, installed once into the cache. */
async function command(manager: Manager): Promise<string[]> {
  const dir = join(cache, "bin");
  const bin = join(dir, "node_modules", MANAGERS[manager].bin);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"private":true}');
    await run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", MANAGERS[manager].pkg], { cwd: dir });
  }
  return bin.endsWith(".js") ? [process.execPath, bin] : [bin];
}

/** How each manager installs, adds judgeval, and reinstalls from its lock file alone. */
function steps(manager: Manager, registry: string): { install: string[]; add: string[]; frozen: string[] } {
  if (manager === "pnpm") {
    const flags = ["--ignore-scripts", "--reporter=append-only", `--registry=${registry}`, `--store-dir=${join(cache, "pnpm-store")}`];
    return {
      install: ["install", ...flags],
      add: ["add", ...flags, "judgeval@file:./judgeval.tgz"],
      frozen: ["install", "--frozen-lockfile", ...flags],
    };
  }
  if (manager === "yarn 1") {
    const flags = [
      "--ignore-scripts",
      "--non-interactive",
      "--no-progress",
      `--registry=${registry}`,
      `--cache-folder=${join(cache, "yarn1")}`,
    ];
    return {
      install: ["install", ...flags],
      add: ["add", ...flags, "judgeval@file:./judgeval.tgz"],
      frozen: ["install", "--frozen-lockfile", ...flags],
    };
  }
  // yarn 4 reads its settings from .yarnrc.yml
  return { install: ["install"], add: ["add", "judgeval@file:./judgeval.tgz"], frozen: ["install", "--immutable"] };
}

/** What a user sees adding judgeval with a package manager other than npm. */
export interface ManagerInstall {
  dir: string;
  /** What the manager printed while adding judgeval, and any failure. */
  output: string;
  /** Whether a reinstall from the lock file alone (frozen / immutable, node_modules removed) succeeded. */
  frozenPassed: boolean;
  /** What the frozen reinstall printed. */
  frozenOutput: string;
}

/**
 * Installs an app with `dependencies` with `manager`, then adds judgeval from `tarball` as a user
 * would (`pnpm add`, `yarn add`), then removes node_modules and reinstalls with the lock file frozen.
 * The tarball is copied into the app and added by a relative path: yarn 1 rewrites absolute `file:`
 * paths in its lock file on the next install, which a frozen install then refuses.
 */
export async function addJudgevalWith(manager: Manager, tarball: string, dependencies: Record<string, string>): Promise<ManagerInstall> {
  const [bin, ...prefix] = await command(manager);
  const { stdout: registry } = await run(npm, ["config", "get", "registry"]);
  const dir = mkdtempSync(join(tmpdir(), "judgeval-app-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, dependencies }));
  if (manager === "yarn 4") {
    const settings = {
      nodeLinker: "node-modules",
      enableGlobalCache: false,
      cacheFolder: join(cache, "yarn4"),
      npmRegistryServer: registry.trim().replace(/\/$/, ""),
      enableTelemetry: false,
      enableScripts: false,
    };
    writeFileSync(
      join(dir, ".yarnrc.yml"),
      Object.entries(settings)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`)
        .join(""),
    );
    // an empty lock file makes the folder a project of its own, not part of a parent's
    writeFileSync(join(dir, "yarn.lock"), "");
  }
  copyFileSync(tarball, join(dir, "judgeval.tgz"));
  const step = steps(manager, registry.trim());
  // Under CI pnpm and yarn 4 freeze the lock file by default, which the first install must write.
  const env = { ...process.env };
  delete env["CI"];
  const exec = (args: string[]) =>
    run(bin, [...prefix, ...args], { cwd: dir, env }).then(
      ({ stdout, stderr }) => ({ ok: true, output: `${stdout}${stderr}` }),
      (err: { stdout?: string; stderr?: string; message: string }) => ({
        ok: false,
        output: `${err.stdout ?? ""}${err.stderr ?? ""}\n(${manager} failed: ${err.message})`,
      }),
    );
  const installed = await exec(step.install);
  if (!installed.ok) throw new Error(`the app does not install before judgeval is added:\n${installed.output}`);
  const added = await exec(step.add);
  rmSync(join(dir, "node_modules"), { recursive: true, force: true });
  const frozen = await exec(step.frozen);
  return { dir, output: added.output, frozenPassed: frozen.ok, frozenOutput: frozen.output };
}
