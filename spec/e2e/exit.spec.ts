import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { Tracer, observe } from "../../lib/index.js";
import { fixtureEnv, useBackend } from "../support/backend.js";
import { one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

describe("the host process", () => {
  it("exits on its own with a span left open, after delivering the spans that ended", async () => {
    const run = promisify(execFile);
    const env = { ...process.env, ...fixtureEnv(ctx) };
    await run(process.execPath, [resolve(__dirname, "../fixtures/exit-run.cjs")], { env, timeout: 15000 });
    const spans = ctx.backend.spans({ projectId: ctx.backend.projectId("exit-run") });
    expect(spans.map((s) => s.name)).toContain("finished");
  });
});

describe("a custom serializer", () => {
  it("replaces the default one, is capped, and falls back to the default when it throws", async () => {
    const tracer = await projectTracer(ctx, {
      maxAttributeBytes: 256,
      serializer: (value) => {
        if (value === "boom") throw new Error("serializer failure");
        return typeof value === "string" && value.startsWith("long") ? JSON.stringify(value.repeat(100)) : `custom:${typeof value}`;
      },
    });
    observe(function f(x: string) {
      Tracer.setOutput(x);
      return x;
    })("boom");
    observe(function g(x: string) {
      Tracer.setOutput(x);
      return x;
    })("long text");
    const spans = await received(ctx, tracer);
    expect(one(spans, "f").attributes["judgment.input"]).toBe("custom:object");
    expect(one(spans, "f").attributes["judgment.output"]).toBe('"boom"');
    const long = one(spans, "g").attributes["judgment.output"] as string;
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(256);
    expect(JSON.parse(long)).toMatch(/…\[truncated \d+ bytes\]$/);
  });
});
