import fc from "fast-check";
import { primitiveInputJson, primitiveJson } from "../../lib/serialize/fastJson.js";
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
        fc.uniqueArray(fc.string({ unit: codeUnit, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
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
