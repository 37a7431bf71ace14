// The CommonJS build loads some of our own modules on first use, with `require("./x.js")` inside
// a function (see lib/diag/lazy.ts). ES modules have no synchronous `require`, so in dist/esm each
// such call becomes a static import of the same module: the ESM build loads them eagerly. Any other
// `require(` left in dist/esm fails the build.
const fs = require("fs");
const path = require("path");

const ESM = path.join(__dirname, "..", "dist", "esm");
const LAZY = /\brequire\("(\.{1,2}\/[^"]+\.js)"\)/g;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.name.endsWith(".js")) yield full;
  }
}

for (const file of files(ESM)) {
  const source = fs.readFileSync(file, "utf8");
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  if (!code.includes("require(")) continue;
  const specifiers = [];
  const rewritten = source.replace(LAZY, (_, specifier) => {
    let index = specifiers.indexOf(specifier);
    if (index < 0) index = specifiers.push(specifier) - 1;
    return `__lazy${index}`;
  });
  if (rewritten.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").includes("require(")) {
    throw new Error(`${path.relative(ESM, file)}: a require( that is not of a relative .js module`);
  }
  // Imports are hoisted wherever they stand: appended, they leave every line of the source map in place.
  const imports = specifiers.map((s, i) => `import * as __lazy${i} from "${s}";`).join("\n");
  const mapLine = rewritten.lastIndexOf("\n//# sourceMappingURL=");
  const out = mapLine < 0 ? `${rewritten}\n${imports}\n` : `${rewritten.slice(0, mapLine)}\n${imports}${rewritten.slice(mapLine)}`;
  fs.writeFileSync(file, out);
}
