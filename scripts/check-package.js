#!/usr/bin/env node
"use strict";
/**
 * Checks the package as npm would publish it: packs it, lints the tarball (publint, and
 * arethetypeswrong for Node 16+ resolution from CommonJS and ESM and for bundlers), then installs
 * it into an empty project, fails if any installed package is a native addon that builds at
 * install time, and type-checks a consumer of every entry in each TypeScript setting
 * (scripts/consumer-types.js). Run after `npm run build`.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { checkConsumerTypes } = require("./consumer-types.js");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const sh = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });

const work = fs.mkdtempSync(path.join(os.tmpdir(), "judgeval-pack-"));
const packed = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", work]))[0];
const tarball = path.join(work, packed.filename);
console.log(`packed ${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB`);

sh(bin("publint"), ["--strict", tarball]);
console.log("publint: clean");
sh(bin("attw"), ["--profile", "node16", tarball]);
console.log("arethetypeswrong (node16 from CJS and ESM, bundler): clean");

const consumer = path.join(work, "consumer");
fs.mkdirSync(consumer);
fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
sh("npm", ["install", "--no-audit", "--no-fund", tarball], consumer);
const addons = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const pkgDir = path.join(dir, entry.name);
    if (entry.name.startsWith("@")) walk(pkgDir);
    else if (fs.existsSync(path.join(pkgDir, "package.json"))) {
      if (fs.existsSync(path.join(pkgDir, "binding.gyp"))) addons.push(entry.name);
      if (fs.existsSync(path.join(pkgDir, "node_modules"))) walk(path.join(pkgDir, "node_modules"));
    }
  }
})(path.join(consumer, "node_modules"));
if (addons.length) {
  console.error(`installing the package pulls native addons built at install time: ${addons.join(", ")}`);
  process.exit(1);
}
console.log("npm install of the tarball: no native addon");
const failures = checkConsumerTypes(consumer, path.join(root, "node_modules"));
if (failures.length) {
  for (const { label, errors } of failures) console.error(`types do not compile (${label}):\n  ${errors.join("\n  ")}`);
  process.exit(1);
}
console.log("the published types compile in every setting above (skipLibCheck off)");
fs.rmSync(work, { recursive: true, force: true });
