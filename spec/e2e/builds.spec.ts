import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { useBackend } from "../support/backend.js";
import { runNode } from "../support/node-process.js";

const root = resolve(__dirname, "../..");
const ctx = useBackend();
let seq = 0;

async function mixed(initWith: "cjs" | "esm", copyDir = ""): Promise<string> {
  if (!existsSync(join(root, "dist/esm/index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const projectName = `builds-${process.pid}-${++seq}`;
  const stdout = await runNode(ctx, projectName, [join(root, "spec/fixtures/builds-run.mjs"), initWith, copyDir]);
  expect(JSON.parse(stdout)).toEqual({ answers: ["2", "3", "4", "5", "6"], seen: [true, true, true, true, true], flushed: true });
  return projectName;
}

/** Five whole traces: handle → inner → child, each child under its own request's spans. */
function expectWholeTraces(projectName: string): void {
  const projectId = ctx.backend.projectId(projectName);
  const spans = ctx.backend.spans({ projectId });
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const roots = spans.filter((s) => s.name === "handle");
  expect(roots).toHaveLength(5);
  for (const root of roots) expect(root.parentSpanId).toBeNull();
  for (const name of ["inner", "child"]) expect(spans.filter((s) => s.name === name)).toHaveLength(5);
  for (const c of spans.filter((s) => s.name === "child")) {
    const inner = byId.get(c.parentSpanId ?? "");
    expect(inner?.name).toBe("inner");
    expect(byId.get(inner?.parentSpanId ?? "")?.name).toBe("handle");
    expect(inner?.traceId).toBe(c.traceId);
  }
}

describe("one tracer state per process", () => {
  it("Tracer.init through require, observe from an ESM import", async () => {
    expectWholeTraces(await mixed("cjs"));
  });

  it("Tracer.init through an ESM import, observe through require", async () => {
    expectWholeTraces(await mixed("esm"));
  });

  it("a second installed copy of the same major shares the state", async () => {
    const copy = mkdtempSync(join(tmpdir(), "judgeval-copy-"));
    cpSync(join(root, "dist/cjs"), copy, { recursive: true });
    expectWholeTraces(await mixed("cjs", copy));
  });
});
