/**
 * Minified parameter names are recorded as they are, and said once with the fix; formatted code,
 * even with one-letter names on one line, is not taken for minified.
 */
import { observe } from "../../../lib/index.js";
import { captureTraces, findSpan } from "../../../lib/testing/index.js";

/** Evaluates source text as written (no transpilation in between), as a bundle ships it. */
function evaluate(expression: string): (...args: never[]) => unknown {
  return (0, eval)(`(${expression})`) as (...args: never[]) => unknown;
}

async function warningsOf(source: string, args: unknown[]): Promise<{ input: unknown; warnings: string[] }> {
  const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  try {
    const fn = observe(evaluate(source), { spanName: "f" }) as (...a: unknown[]) => unknown;
    const { traces } = await captureTraces(() => fn(...args));
    return { input: findSpan(traces, { name: "f" })?.input, warnings: warn.mock.calls.map((c) => String(c[0])) };
  } finally {
    warn.mockRestore();
  }
}

describe("minified parameter names", () => {
  it("formatted code with short names is not taken for minified", async () => {
    for (const source of ["(a, b) => a + b", "function (a, b) { return a + b; }", "(a,\n b) => a + b"])
      expect(await warningsOf(source, [1, 2])).toEqual({ input: { a: 1, b: 2 }, warnings: [] });
  });

  it("a minifier's output is recorded as it is, and one warning names the fix", async () => {
    expect(await warningsOf("async(e,t)=>e+t", [1, 2])).toEqual({
      input: { e: 1, t: 2 },
      warnings: [expect.stringContaining('the parameters of "f" (e, t) look minified')],
    });
    const second = await warningsOf("{run(a){return a}}.run", ["x"]);
    expect(second).toEqual({ input: { a: "x" }, warnings: [] }); // said once per process
  });
});
