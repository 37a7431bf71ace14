import { capString, createSerializer, DEFAULT_MAX_ATTRIBUTE_BYTES, safeSerialize } from "../../lib/serialize/index.js";

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MARKER = /…\[truncated (\d+)(\+?) bytes\]$/;

/** Splits a truncated output into the kept text and the marker's figures. */
function dissect(out: string): { kept: string; dropped: number; lowerBound: boolean } {
  const text = JSON.parse(out) as string;
  const match = MARKER.exec(text);
  if (match === null) throw new Error(`no truncation marker in ${out.slice(0, 80)}`);
  return { kept: text.slice(0, match.index), dropped: Number(match[1]), lowerBound: match[2] === "+" };
}

describe("capString", () => {
  it("returns text within the cap unchanged, JSON or not", () => {
    expect(capString('{"a":1}', 100)).toBe('{"a":1}');
    expect(capString("plain text", 100)).toBe("plain text");
    const exactly = "é".repeat(50); // 100 bytes
    expect(capString(exactly, 100)).toBe(exactly);
  });

  it("cuts longer text into a JSON string with the exact count of dropped bytes", () => {
    const text = JSON.stringify({ message: "x".repeat(500), n: 1 });
    const out = capString(text, 200);
    expect(bytes(out)).toBeLessThanOrEqual(200);
    const { kept, dropped, lowerBound } = dissect(out);
    expect(text.startsWith(kept)).toBe(true);
    expect(kept.length).toBeGreaterThan(100);
    expect(dropped).toBe(bytes(text) - bytes(kept));
    expect(lowerBound).toBe(false);
  });

  it("counts bytes, not characters, and never splits a surrogate pair", () => {
    for (const unit of ["é", "中", "😀", "a😀", '"\\', "\u0001"]) {
      const text = unit.repeat(400);
      for (let cap = 64; cap < 260; cap++) {
        const out = capString(text, cap);
        expect(bytes(out)).toBeLessThanOrEqual(cap);
        const { kept, dropped } = dissect(out);
        expect(LONE_SURROGATE.test(kept)).toBe(false);
        expect(text.startsWith(kept)).toBe(true);
        expect(dropped).toBe(bytes(text) - bytes(kept));
      }
    }
  });

  it("raises caps below 64 bytes to 64", () => {
    const out = capString("y".repeat(1000), 3);
    expect(bytes(out)).toBeLessThanOrEqual(64);
    expect(dissect(out).kept).toMatch(/^y+$/);
  });
});

describe("serializer cap", () => {
  it("defaults to 64 KiB", () => {
    expect(DEFAULT_MAX_ATTRIBUTE_BYTES).toBe(65536);
    const out = safeSerialize({ data: "z".repeat(100_000) });
    expect(bytes(out)).toBeLessThanOrEqual(65536);
    expect(bytes(out)).toBeGreaterThan(65000);
  });

  it("keeps output just under the cap intact", () => {
    const serialize = createSerializer({ maxBytes: 100 });
    const value = { s: "é".repeat(44) }; // {"s":"…"} is 8 + 88 = 96 bytes
    expect(serialize(value)).toBe(JSON.stringify(value));
  });

  it("cuts a lone string as itself, with an exact count", () => {
    const text = "Once upon a time, ".repeat(100);
    const out = createSerializer({ maxBytes: 120 })(text);
    expect(bytes(out)).toBeLessThanOrEqual(120);
    const { kept, dropped, lowerBound } = dissect(out);
    expect(kept.startsWith("Once upon a time, Once")).toBe(true);
    expect(dropped).toBe(bytes(text) - bytes(kept));
    expect(lowerBound).toBe(false);
  });

  it("cuts a structure as the beginning of its JSON text", () => {
    const value = { items: Array.from({ length: 1000 }, (_, id) => ({ id, label: `item ${id}` })) };
    const out = createSerializer({ maxBytes: 300 })(value);
    expect(bytes(out)).toBeLessThanOrEqual(300);
    const { kept, lowerBound } = dissect(out);
    expect(JSON.stringify(value).startsWith(kept)).toBe(true);
    expect(lowerBound).toBe(true); // the walk stopped early, so the count is a lower bound
  });

  it("gives the exact count when the whole value was walked", () => {
    const value = { s: "é".repeat(200) }; // 208 characters but 408 bytes
    const out = createSerializer({ maxBytes: 300 })(value);
    const { kept, dropped, lowerBound } = dissect(out);
    expect(lowerBound).toBe(false);
    expect(dropped).toBe(bytes(JSON.stringify(value)) - bytes(kept));
  });

  it("treats absent, NaN and tiny caps sensibly", () => {
    const big = "w".repeat(70_000);
    expect(bytes(createSerializer({})(big))).toBeLessThanOrEqual(65536);
    expect(bytes(createSerializer({ maxBytes: NaN })(big))).toBeLessThanOrEqual(65536);
    expect(bytes(createSerializer({ maxBytes: -5 })(big))).toBeLessThanOrEqual(64);
    expect(createSerializer({ maxBytes: Infinity })(big)).toBe(JSON.stringify(big));
  });
});
