"use strict";
/**
 * Type-checks the installed package's declarations the way consumers compile them: a file that
 * imports every entry of its `exports` map, compiled with `skipLibCheck: false` under module
 * commonjs (moduleResolution node10), node16, nodenext (each from CommonJS and from ESM) and
 * bundler, with and without `esModuleInterop`, with and without @types/node. An entry whose
 * declarations import an optional peer (found by following its .d.ts imports) gets that peer from
 * this repository's node_modules, and is checked with @types/node only: its peers' own types bring
 * it. Only the package's files and the consumer's are checked; a peer's own errors (e.g. one
 * that needs esModuleInterop) are its business. Used by scripts/check-package.js.
 */
const fs = require("node:fs");
const path = require("node:path");

const SETTINGS = [
  { name: "commonjs/node10", module: "commonjs", moduleResolution: "node10", esm: false },
  { name: "node16", module: "node16", moduleResolution: "node16", esm: true },
  { name: "nodenext", module: "nodenext", moduleResolution: "nodenext", esm: true },
  { name: "bundler", module: "esnext", moduleResolution: "bundler", esm: false },
];
const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g;

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`), or undefined for a relative or node: one. */
function packageOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The packages the declarations reachable from `typesFile` import. */
function importedPackages(typesFile) {
  const seen = new Set();
  const packages = new Set();
  const visit = (file) => {
    if (seen.has(file) || !fs.existsSync(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const [, specifier] of text.matchAll(IMPORT)) {
      if (specifier.startsWith(".")) visit(path.resolve(path.dirname(file), specifier.replace(/\.(c|m)?js$/, ".d.$1ts")));
      else if (packageOf(specifier)) packages.add(packageOf(specifier));
    }
  };
  visit(typesFile);
  return packages;
}

function setNodeTypes(consumer, repoModules, present) {
  const link = path.join(consumer, "node_modules", "@types", "node");
  fs.rmSync(link, { recursive: true, force: true });
  if (!present) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.join(repoModules, "@types", "node"), link, "dir");
}

/**
 * Compiles the consumer with the TypeScript API; returns the errors in the package's files or the
 * consumer's. Only those files are checked, so a large peer's own declarations cost no checking time.
 */
function compile(ts, consumer, setting, esModuleInterop, specifiers) {
  const source = specifiers.map((s, i) => `import * as entry${i} from "${s}";`).join("\n");
  const files = ["consumer.ts", ...(setting.esm ? ["consumer.mts"] : [])].map((file) => path.join(consumer, file));
  for (const file of files)
    fs.writeFileSync(file, `${source}\nexport const entries = [${specifiers.map((_, i) => `entry${i}`).join(", ")}];\n`);
  const json = {
    module: setting.module,
    moduleResolution: setting.moduleResolution,
    target: "es2022",
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    esModuleInterop,
  };
  const { options, errors } = ts.convertCompilerOptionsFromJson(json, consumer);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, formatHost(ts, consumer)));
  const program = ts.createProgram({ rootNames: files, options });
  const ours = program.getSourceFiles().filter((sf) => sf.fileName.includes("/node_modules/judgeval/") || files.includes(sf.fileName));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error);
  return diagnostics.map((d) => ts.formatDiagnostic(d, formatHost(ts, consumer)).trim());
}

function formatHost(ts, cwd) {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => cwd, getNewLine: () => ts.sys.newLine };
}

/**
 * Runs the matrix in `consumer` (a folder with the packed package installed); TypeScript, the
 * peers and @types/node come from `repoModules`. Returns the failures, each with its errors.
 */
function checkConsumerTypes(consumer, repoModules) {
  const ts = require(path.join(repoModules, "typescript"));
  const pkgDir = path.join(consumer, "node_modules", "judgeval");
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const installed = (name) => fs.existsSync(path.join(consumer, "node_modules", name));
  const groups = { plain: [], withPeers: [] };
  const peers = new Set();
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (key === "./package.json") continue;
    const missing = [...importedPackages(path.join(pkgDir, target.require.types))].filter((name) => !installed(name));
    missing.forEach((name) => peers.add(name));
    groups[missing.length ? "withPeers" : "plain"].push(`judgeval${key.slice(1)}`);
  }
  const failures = [];
  const run = (specifiers, nodeTypes) => {
    for (const setting of SETTINGS) {
      for (const esModuleInterop of [true, false]) {
        setNodeTypes(consumer, repoModules, nodeTypes);
        const label = `${setting.name}, esModuleInterop ${esModuleInterop ? "on" : "off"}, ${nodeTypes ? "with" : "without"} @types/node: ${specifiers.join(" ")}`;
        const errors = compile(ts, consumer, setting, esModuleInterop, specifiers);
        console.log(`${errors.length ? "FAIL" : "ok  "} ${label}`);
        if (errors.length) failures.push({ label, errors });
      }
    }
  };
  for (const nodeTypes of [false, true]) run(groups.plain, nodeTypes);
  if (groups.withPeers.length) {
    for (const name of peers) {
      fs.mkdirSync(path.dirname(path.join(consumer, "node_modules", name)), { recursive: true });
      fs.symlinkSync(path.join(repoModules, name), path.join(consumer, "node_modules", name), "dir");
    }
    run(groups.withPeers, true);
  }
  return failures;
}

module.exports = { checkConsumerTypes };
