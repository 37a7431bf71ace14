import fc from "fast-check";
import { capString, createSerializer, safeSerialize } from "../../lib/serialize/index.js";
import { build, codeUnit, spec } from "../support/hostile.js";

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

describe("serializer properties over hostile values", () => {
  it("safeSerialize never throws and returns valid JSON within 64 KiB", () => {
    fc.assert(
      fc.property(spec, (description) => {
        const out = safeSerialize(build(description));
        JSON.parse(out);
        return bytes(out) <= 65536;
      }),
      { numRuns: 400 },
    );
  });

  it("a small cap is honoured the same way", () => {
    fc.assert(
      fc.property(spec, fc.integer({ min: 0, max: 600 }), (description, cap) => {
        const out = createSerializer({ maxBytes: cap })(build(description));
        JSON.parse(out);
        return bytes(out) <= Math.max(cap, 64);
      }),
      { numRuns: 400 },
    );
  });

  it("plain JSON data comes out exactly as JSON.stringify writes it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => safeSerialize(value) === JSON.stringify(value)),
      { numRuns: 300 },
    );
  });

  it("capString keeps what fits and otherwise returns a JSON string under the cap", () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 600, size: "max" }), fc.integer({ min: 64, max: 300 }), (text, cap) => {
        const out = capString(text, cap);
        if (bytes(text) <= cap) return out === text;
        const kept = (JSON.parse(out) as string).replace(/…\[truncated \d+ bytes\]$/, "");
        return bytes(out) <= cap && text.startsWith(kept);
      }),
      { numRuns: 300 },
    );
  });
});
