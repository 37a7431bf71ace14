#!/usr/bin/env node
// Runs a package script's command on a Node the project supports (package.json "engines"):
//   node scripts/supported-node.js "<command>" [args appended by `npm run x -- args`]
// On a supported Node the command runs as is. On an older one (a machine whose system Node is
// 20, say) it runs on Node 22 from the runtime cache instead (scripts/runtime.sh: from the npm
// registry into a cache folder, no system change), and says so in one line. Written for the old
// Node it may start on: CommonJS, nothing newer than Node 18.
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const [command, ...extra] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/supported-node.js "<command>" [args]');
  process.exit(2);
}

const range = require(path.join(root, "package.json")).engines.node;
const floor = /^>=\s*(\d+)\.(\d+)/.exec(range);
if (!floor) throw new Error(`scripts/supported-node.js reads only ">=major.minor" engines ranges, not "${range}"`);
const [major, minor] = process.versions.node.split(".").map(Number);
const supported = major > Number(floor[1]) || (major === Number(floor[1]) && minor >= Number(floor[2]));

const quote = (arg) => `'${arg.replace(/'/g, "'\\''")}'`;
const line = [command, ...extra.map(quote)].join(" ");
const env = { ...process.env };

if (!supported) {
  const event = process.env.npm_lifecycle_event;
  const script = event ? `npm run ${event}` : command;
  let node;
  try {
    node = execFileSync("bash", [path.join(root, "scripts/runtime.sh"), "node22"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  } catch (err) {
    console.error(
      `Node ${process.versions.node} is below this project's floor (${range}), and Node 22 could not be fetched into the runtime cache: ${err.message}`,
    );
    process.exit(1);
  }
  const version = execFileSync(node, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
  console.error(
    `[judgeval] Node ${process.versions.node} is below the supported ${range}: running \`${script}\` on Node ${version} from the runtime cache (scripts/runtime.sh).`,
  );
  env.PATH = `${path.dirname(node)}${path.delimiter}${env.PATH ?? ""}`;
}

const child = spawn("/bin/sh", ["-c", line], { stdio: "inherit", env });
// Ctrl-C reaches the child through the terminal; a SIGTERM sent to this process is passed on.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
