// Runs checks.mjs on each runtime (installed into the cache by scripts/runtime.sh) and prints
// the table runtime × check. Usage: node spec/runtimes/matrix.mjs [node22 node24 node26 bun deno node]
// Needs the package built (`npm run build`). Exit code 1 when any check fails on any runtime.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const require = createRequire(import.meta.url);
const ts = require("typescript");
// "node" (the one running this script) can be named too; the default is the supported set, with Node 22 also run
// on AsyncContextFrame (the flag docs/runtimes.md suggests for busy Node 22 servers; Node 24 has it by default).
const ALL = ["node22", "node22-frames", "node24", "node26", "bun", "deno"];
/** Runtimes that are another one started with flags. */
const FLAGGED = { "node22-frames": ["node22", "--experimental-async-context-frame"] };
const PER_RUNTIME_LIMIT_MS = 120000;

/**
 * An app folder outside the repository, as a user's would be: the package installed (a link to
 * this checkout, built), checks.mjs, and the decorator fixture compiled as TypeScript 5 compiles
 * it by default (stage-3 decorators, lowered for ES2022). Outside, so no runtime picks up this repo's tsconfig
 * `paths` (Bun does) and the checks load the package exactly as published.
 */
function makeApp() {
  const dir = mkdtempSync(join(tmpdir(), "judgeval-runtime-checks-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module", dependencies: { judgeval: "*" } }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "judgeval"), "dir");
  copyFileSync(join(here, "checks.mjs"), join(dir, "checks.mjs"));
  const source = readFileSync(join(here, "decorated.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } });
  writeFileSync(join(dir, "decorated-stage3.mjs"), outputText);
  return dir;
}

function commandFor(runtime) {
  const checks = join(app, "checks.mjs");
  if (runtime === "node") return [process.execPath, checks];
  const [installed, ...flags] = FLAGGED[runtime] ?? [runtime];
  const bin = execFileSync(join(root, "scripts", "runtime.sh"), [installed], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  return installed === "deno" ? [bin, "run", "-A", checks] : [bin, ...flags, checks];
}

function version(command) {
  return execFileSync(command[0], ["--version"], { encoding: "utf8" })
    .split("\n")[0]
    .replace(/^deno /, "")
    .replace(/ \(.*$/, "");
}

function run(command, env) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), PER_RUNTIME_LIMIT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const results = stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      resolve({ code, signal, results, stderr });
    });
  });
}

const runtimes = process.argv.length > 2 ? process.argv.slice(2) : ALL;
const app = makeApp();
const table = new Map();
const columns = [];
let passed = 0;
let failed = 0;
const problems = [];
try {
  for (const runtime of runtimes) {
    const command = commandFor(runtime);
    const label = `${runtime === "node" ? "node (machine)" : runtime} ${version(command)}`;
    columns.push(label);
    const started = Date.now();
    const env = { ...process.env, JUDGEVAL_CHECK_CHILD: JSON.stringify(command) };
    const { code, signal, results, stderr } = await run(command, env);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${label}: ${results.length} checks in ${seconds} s`);
    for (const r of results) {
      if (!table.has(r.check)) table.set(r.check, new Map());
      table.get(r.check).set(label, r.skip ? "skip" : r.ok ? "ok" : "FAIL");
      if (r.detail) console.log(`  ${r.check}: ${r.detail}`);
      if (r.skip) continue;
      if (r.ok) passed++;
      else {
        failed++;
        problems.push(`${label} / ${r.check}: ${r.error}`);
      }
    }
    if (code !== 0 && !results.some((r) => r.ok === false)) {
      failed++;
      problems.push(`${label}: exited with ${signal ?? code} ${stderr.trim().split("\n").slice(-6).join(" | ")}`);
    }
  }
} finally {
  rmSync(app, { recursive: true, force: true });
}

const width = Math.max(...[...table.keys()].map((k) => k.length));
const cell = (s, w) => s.padEnd(w);
const widths = columns.map((c) => Math.max(c.length, 4));
console.log(`\n| ${cell("check", width)} | ${columns.map((c, i) => cell(c, widths[i])).join(" | ")} |`);
console.log(`| ${"-".repeat(width)} | ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
for (const [check, row] of table) {
  console.log(`| ${cell(check, width)} | ${columns.map((c, i) => cell(row.get(c) ?? "-", widths[i])).join(" | ")} |`);
}
for (const p of problems) console.log(`\nFAIL ${p}`);
console.log(`\nruntime checks: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
