// The changelog and the docs are read by users, who cannot look up the project's internal issue numbers:
// fail the lint on any "issue 12" / "issues #3" left in them.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
// bench/notes/ holds the hand-written readings `npm run bench` copies into docs/benchmarks.md.
const markdownIn = (dir) =>
  fs
    .readdirSync(path.join(root, dir))
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join(dir, name));
const files = ["CHANGELOG.md", "README.md", "CONTRIBUTING.md", ...markdownIn("docs"), ...markdownIn("bench/notes")].filter((file) =>
  fs.existsSync(path.join(root, file)),
);
const pattern = /\bissues? #?\d+/i;

let found = 0;
for (const file of files) {
  fs.readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .forEach((line, index) => {
      const match = pattern.exec(line);
      if (match) {
        console.error(`${file}:${index + 1}: internal issue number "${match[0]}"`);
        found++;
      }
    });
}
if (found > 0) {
  console.error(`${found} internal issue number(s): say what changed instead.`);
  process.exit(1);
}
