#!/usr/bin/env node
"use strict";
// Thin launcher: the CLI itself is compiled TypeScript in dist/ (`npm run build`).
let cli;
try {
  cli = require("../dist/cjs/dev/cli/main.js");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("dist/cjs/dev/cli/main.js")) {
    process.stderr.write("judgeval: the package is not built; run `npm run build` first\n");
    process.exit(1);
  }
  throw err;
}
cli.run(process.argv.slice(2));
