import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// A code block of docs/ right after a `<!-- snippet: path -->` line is the file at that path, which a
// test runs: the docs show exactly what is tested.
const root = resolve(__dirname, "../..");
const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md"));
const snippets = docs.flatMap((doc) =>
  [...readFileSync(join(root, "docs", doc), "utf8").matchAll(/<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].map(
    ([, file, block]) => [doc, file, block] as const,
  ),
);

describe("snippets of docs/ kept as runnable files", () => {
  it.each(snippets)("%s shows %s as it is", (_doc, file, block) => {
    expect(block).toBe(readFileSync(join(root, file), "utf8"));
  });

  it("shows every OpenTelemetry setup the otel-apps fixtures run", () => {
    const setups = readdirSync(join(root, "spec/fixtures/otel-apps/setup")).map((f) => `spec/fixtures/otel-apps/setup/${f}`);
    expect(snippets.map(([, file]) => file).sort()).toEqual(expect.arrayContaining(setups.sort()));
  });

  it("shows every integration example the examples-integrations spec runs", () => {
    const examples = readdirSync(join(root, "examples"))
      .filter((f) => f.endsWith(".mjs"))
      .map((f) => `examples/${f}`);
    expect(snippets.map(([, file]) => file).sort()).toEqual(expect.arrayContaining(examples.sort()));
  });
});
