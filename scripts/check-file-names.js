// lib/ names its files and folders in kebab-case (`open-spans.ts`, `openai-agents/`), so a module is
// found by the name of what it does without guessing its casing: fail the lint on any other name.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
// A lower-case stem with dashes between words, then the extensions (`.ts`, `.d.ts`, `.json`).
const kebab = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*$/;

function* entries(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    yield rel;
    if (entry.isDirectory()) yield* entries(rel);
  }
}

const wrong = [...entries("lib")].filter((rel) => !kebab.test(path.basename(rel)));
for (const rel of wrong) console.error(`${rel}: not kebab-case`);
if (wrong.length > 0) {
  console.error(`${wrong.length} name(s) in lib/ not in kebab-case: rename with git mv and fix the imports.`);
  process.exit(1);
}
