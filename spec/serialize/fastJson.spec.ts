import fc from "fast-check";
import { plainObjectJson, primitiveInputJson, primitiveJson } from "../../lib/serialize/fast-json.js";
import { JsonWriter } from "../../lib/serialize/writer.js";
import { safeSerialize } from "../../lib/serialize/index.js";
import { codeUnit } from "../support/hostile.js";

const primitive = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity),
  fc.string({ unit: codeUnit, maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);

describe("the primitive JSON fast path writes exactly what the serializer writes", () => {
  it("for return values", () => {
    fc.assert(
      fc.property(primitive, (value) => {
        const fast = primitiveJson(value, 65536);
        return fast === undefined || fast === safeSerialize(value);
      }),
      { numRuns: 2000 },
    );
  });

  it("for inputs built from parameter names", () => {
    fc.assert(
      fc.property(
        // observe() never takes the fast path for index-like names ("0"), which objects order first
        fc.uniqueArray(
          fc.string({ unit: codeUnit, maxLength: 8 }).filter((n) => !/^(?:0|[1-9][0-9]*)$/.test(n)),
          { minLength: 1, maxLength: 5 },
        ),
        fc.array(primitive, { maxLength: 5 }),
        (names, args) => {
          const keys = names.map((n) => `${JSON.stringify(n)}:`);
          const fast = primitiveInputJson(keys, args, 65536);
          if (fast === undefined) return args.length > names.length || args.some((a) => typeof a === "number" && !Number.isFinite(a));
          const record: Record<string, unknown> = {};
          names.forEach((n, i) => (record[n] = args[i]));
          return fast === safeSerialize(record);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("leaves long strings to the capping serializer", () => {
    expect(primitiveJson("x".repeat(100), 256)).toBeUndefined();
    expect(primitiveInputJson(['"a":'], ["x".repeat(100)], 256)).toBeUndefined();
  });
});

/** The full serializer's walk, for comparison (output within the cap). */
function walked(value: unknown, maxBytes = 65536): string {
  const writer = new JsonWriter(maxBytes);
  writer.value(value);
  return writer.out;
}

describe("plain objects are written natively, exactly as the full walk writes them", () => {
  const text = fc.oneof(fc.string({ unit: codeUnit, maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 30 }));
  const leaf = fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("record")),
    array: fc.array(fc.oneof(tie("tree"), fc.constant(undefined)), { maxLength: 5 }),
    record: fc.dictionary(text, fc.oneof(tie("tree"), fc.constant(undefined)), { maxKeys: 5 }),
  }));

  it("for any JSON-like data (undefined omitted from objects, null in arrays)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(tree), fc.dictionary(text, tree)), (value) => {
        const fast = plainObjectJson(value, 65536);
        return fast !== undefined && fast === walked(value);
      }),
      { numRuns: 1000 },
    );
  });

  it("for a provider's parsed response, as one flat string", () => {
    const response = JSON.parse(
      '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi \\u2028 \\ud83d\\ude00","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":9}}',
    ) as object;
    expect(plainObjectJson(response, 65536)).toBe(walked(response));
    expect(safeSerialize(response)).toBe(JSON.stringify(response));
  });

  it("writes only own keys when Object.prototype has an enumerable key, as the serializer does", () => {
    const value = { a: 1, nested: { b: "two" }, list: [{ c: null }] };
    for (const extra of ["plain text", () => 1]) {
      Object.defineProperty(Object.prototype, "polluted", { value: extra, enumerable: true, configurable: true });
      try {
        const fast = plainObjectJson(value, 65536);
        expect(fast === undefined || fast === '{"a":1,"nested":{"b":"two"},"list":[{"c":null}]}').toBe(true);
        expect(safeSerialize(value)).toBe('{"a":1,"nested":{"b":"two"},"list":[{"c":null}]}');
      } finally {
        delete (Object.prototype as { polluted?: unknown }).polluted;
      }
    }
  });

  it("leaves everything else to the full serializer", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = { d: deep };
    const sparse: unknown[] = [];
    sparse.length = 1e9;
    const getter = Object.defineProperty({}, "boom", {
      enumerable: true,
      get(): never {
        throw new Error("boom");
      },
    });
    class Point {
      x = 1;
    }
    const hostile: object[] = [
      deep as object,
      { toJSON: () => "x" },
      { n: NaN },
      { n: Infinity },
      { m: new Map([["a", 1]]) },
      { d: new Date(0) },
      { p: new Point() },
      { f: () => 1 },
      { b: 10n },
      { s: Symbol("s") },
      getter,
      sparse,
      { big: "x".repeat(1000) },
    ];
    for (const value of hostile) expect(plainObjectJson(value, 256)).toBeUndefined();
    expect(safeSerialize(deep)).toContain("[Max depth]");
    expect(safeSerialize({ n: NaN })).toBe('{"n":"NaN"}');
  });
});
