// The ESM build lives beside the CommonJS one; this marker makes Node read dist/esm as ES modules.
const fs = require("fs");
const path = require("path");
fs.writeFileSync(path.join(__dirname, "..", "dist", "esm", "package.json"), '{"type":"module"}\n');
