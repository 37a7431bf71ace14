/**
 * The same `@observe()` under `experimentalDecorators` (NestJS, TypeORM, Angular): the call shape
 * `(target, key, descriptor)` is recognised at run time, also in builds that skip type-checking.
 * That it type-checks is spec/e2e/legacyDecorators.spec.ts (it runs the compiler).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { io, one, projectTracer, received } from "../support/tracing.js";

const root = resolve(__dirname, "../..");
const fixture = join(root, "spec/fixtures/legacy/agent.ts");
const ctx = useBackend();

interface LegacyAgent {
  answer(q: string): string;
  bare(n: number): Promise<number>;
  readonly label: string;
}
type AgentClass = (new () => LegacyAgent) & { lookup(key: string): string };

/** The fixture compiled as an experimentalDecorators project compiles it (transpile only, like swc/esbuild). */
function compileLegacy(): AgentClass {
  const { outputText } = ts.transpileModule(readFileSync(fixture, "utf8"), {
    compilerOptions: { experimentalDecorators: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const exports: { makeAgent?: (o: typeof observe) => AgentClass } = {};
  new Function("exports", "require", outputText)(exports, require);
  return exports.makeAgent!(observe);
}

describe("@observe under experimentalDecorators", () => {
  it("traces methods, static methods and getters", async () => {
    const tracer = await projectTracer(ctx);
    const Agent = compileLegacy();
    const agent = new Agent();
    expect(agent.answer("q")).toBe("agent:q");
    expect(await agent.bare(4)).toBe(8);
    expect(Agent.lookup("k")).toBe("K");
    expect(agent.label).toBe("agent-label");
    const spans = await received(ctx, tracer);
    expect(io(one(spans, "answer"))).toEqual({ input: { q: "q" }, output: "agent:q" });
    expect(io(one(spans, "bare"))).toEqual({ input: { n: 4 }, output: 8 });
    expect(one(spans, "lookup").spanType).toBe("tool");
    expect(io(one(spans, "label")).output).toBe("agent-label");
  });
});

describe("@observe() called in a form no compiler emits", () => {
  it("warns, naming the fix, and leaves the member as it is", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const method = (q: string): string => q;
    const decorator = observe() as unknown as (target: unknown, key: unknown) => unknown;
    expect(decorator(method, 42)).toBe(method);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining(
        'this member is NOT traced. Compile decorators as TypeScript does: the standard form, or "experimentalDecorators": true',
      ),
    ]);
    warn.mockRestore();
  });
});
