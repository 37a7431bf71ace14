// The wire format's attribute keys, endpoint paths and header names are spelled once, in lib/wire/:
// fail the lint on a string literal elsewhere in lib/ that spells one (any `judgment.*` or
// `gen_ai.*` key, a path or header name of wire/), so a change to the wire is a change to one place.
// The viewer's browser code (lib/dev/viewer/app/) is served as it is compiled and cannot import
// wire/: it is left out.
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.join(__dirname, "..");
const lib = path.join(root, "lib");
const wire = path.join(lib, "wire");
const viewerApp = path.join(lib, "dev", "viewer", "app");

function* tsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(full);
    else if (/\.tsx?$/.test(entry.name)) yield full;
  }
}

/** Every string literal of a file (comments and identifiers aside), with its position. */
function* literals(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = function* (node) {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) yield { text: node.text, node, source };
    else if (ts.isTemplateExpression(node)) {
      yield { text: node.head.text, node, source };
      for (const span of node.templateSpans) yield { text: span.literal.text, node: span.literal, source };
    }
    for (const child of node.getChildren(source)) yield* visit(child);
  };
  yield* visit(source);
}

/** An attribute key of ours or of the GenAI conventions: wherever it is written, it belongs in wire/. */
const KEY = /^(judgment|gen_ai)\.[a-z_.]+$/;
// What wire/ spells besides keys: endpoint paths (`/…`) and header names (`X-…`).
const spelled = new Set();
for (const file of tsFiles(wire)) for (const { text } of literals(file)) if (/^\/[a-z]|^X-[A-Za-z-]+$/.test(text)) spelled.add(text);
const headers = [...spelled].filter((s) => s.startsWith("X-")).map((s) => s.toLowerCase());

const found = [];
for (const file of tsFiles(lib)) {
  if (file.startsWith(wire + path.sep) || file.startsWith(viewerApp + path.sep)) continue;
  for (const { text, node, source } of literals(file)) {
    const hit = KEY.test(text) || spelled.has(text) || spelled.has(text.replace(/\/+$/, "")) || headers.includes(text.toLowerCase());
    if (!hit) continue;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${path.relative(root, file)}:${line + 1}: "${text}" belongs in lib/wire/: import it from there`);
  }
}
for (const line of found) console.error(line);
if (found.length > 0) {
  console.error(`${found.length} wire string(s) spelled outside lib/wire/.`);
  process.exit(1);
}
