import { runInNewContext } from "node:vm";
import { registerCustom } from "superjson";
import { safeSerialize } from "../../lib/serialize/index.js";

const read = (value: unknown): unknown => JSON.parse(safeSerialize(value));

class Point {
  z?: number = undefined;
  constructor(
    public x: number,
    public y: number,
  ) {}
  get norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

class Money {
  constructor(
    readonly cents: number,
    readonly currency: string,
  ) {}
  toJSON(): string {
    return `${(this.cents / 100).toFixed(2)} ${this.currency}`;
  }
}

describe("safeSerialize: values", () => {
  const table: Array<[string, unknown, unknown]> = [
    ["string", 'héllo "q" \n', 'héllo "q" \n'],
    ["number", 1.5, 1.5],
    ["negative zero", -0, 0],
    ["NaN as a string", NaN, "NaN"],
    ["Infinity as a string", Infinity, "Infinity"],
    ["-Infinity as a string", -Infinity, "-Infinity"],
    ["boolean", false, false],
    ["null", null, null],
    ["top-level undefined", undefined, null],
    ["BigInt as a decimal string", 12345678901234567890n, "12345678901234567890"],
    ["symbol", Symbol("tag"), "Symbol(tag)"],
    ["named function", function handler() {}, "[Function handler]"],
    [
      "anonymous function",
      (
        () => () =>
          1
      )(),
      "[Function (anonymous)]",
    ],
    ["class as a function", Point, "[Function Point]"],
    ["Date as ISO", new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), "2024-01-02T03:04:05.006Z"],
    ["invalid Date", new Date(NaN), "Invalid Date"],
    ["RegExp", /a\/b+/gi, "/a\\/b+/gi"],
    ["URL as href", new URL("https://example.com/a?b=1#c"), "https://example.com/a?b=1#c"],
    [
      "Map with string keys as an object",
      new Map<string, unknown>([
        ["a", 1],
        ["b", { c: 2 }],
      ]),
      { a: 1, b: { c: 2 } },
    ],
    [
      "Map with other keys as pairs",
      new Map<unknown, unknown>([
        [1, "one"],
        [{ k: 1 }, [2]],
      ] as Array<[unknown, unknown]>),
      [
        [1, "one"],
        [{ k: 1 }, [2]],
      ],
    ],
    ["empty Map", new Map(), {}],
    ["Set as an array", new Set([1, "a", null]), [1, "a", null]],
    ["Uint8Array", new Uint8Array([1, 2, 255]), [1, 2, 255]],
    ["Buffer", Buffer.from("hi"), [104, 105]],
    ["Float32Array with NaN", new Float32Array([1.5, NaN]), [1.5, "NaN"]],
    ["BigInt64Array", new BigInt64Array([-5n]), ["-5"]],
    ["ArrayBuffer as bytes", new Uint16Array([258]).buffer, [2, 1]],
    ["DataView as its bytes", new DataView(new Uint8Array([9, 8, 7]).buffer, 1, 2), [8, 7]],
    ["boxed primitives", [Object("s"), Object(2), Object(true)], ["s", 2, true]],
    ["class instance with __class", new Point(3, 4), { __class: "Point", x: 3, y: 4 }],
    ["toJSON honoured on class instances", { price: new Money(1999, "EUR") }, { price: "19.99 EUR" }],
    ["null-prototype object", Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 }],
    ["object from a plain prototype", Object.create({ inherited: 1 }), {}],
    ["Promise", Promise.resolve(1), { __class: "Promise" }],
    ["undefined omitted in objects", { a: undefined, b: 1 }, { b: 1 }],
    ["undefined is null in arrays", [undefined, 1], [null, 1]],
    ["sparse array holes are null", [1, , 3], [1, null, 3]], // eslint-disable-line no-sparse-arrays
    [
      "undefined omitted in string-keyed Maps",
      new Map([
        ["a", undefined],
        ["b", 2],
      ]),
      { b: 2 },
    ],
    ["functions inside objects", { cb: function onDone() {} }, { cb: "[Function onDone]" }],
    ["nested mix", { when: new Date(0), tags: new Set(["x"]), n: 1n }, { when: "1970-01-01T00:00:00.000Z", tags: ["x"], n: "1" }],
  ];

  it.each(table)("%s", (_label, value, expected) => {
    expect(read(value)).toEqual(expected);
  });

  it("writes compact JSON like JSON.stringify for plain data", () => {
    const value = { a: 1, b: "x", c: [true, null, { d: "é\u0001" }], 'k"ey': -2.5e-7 };
    expect(safeSerialize(value)).toBe(JSON.stringify(value));
  });

  it("escapes lone surrogates rather than emitting invalid UTF-8", () => {
    expect(safeSerialize({ s: "a\ud800b" })).toBe('{"s":"a\\ud800b"}');
  });

  it("renders errors with name, message, stack, cause and own properties", () => {
    const cause = new TypeError("inner");
    const error = Object.assign(new RangeError("outer", { cause }), { code: "E_RANGE", retry: undefined });
    const out = read(error) as Record<string, unknown>;
    expect(out).toMatchObject({ name: "RangeError", message: "outer", code: "E_RANGE" });
    expect(out.stack).toEqual(error.stack);
    expect(out.cause).toMatchObject({ name: "TypeError", message: "inner" });
    expect(out).not.toHaveProperty("retry");
  });

  it("renders AggregateError's errors", () => {
    const out = read(new AggregateError([new Error("one")], "many")) as { errors: Array<{ message: string }> };
    expect(out.errors.map((e) => e.message)).toEqual(["one"]);
  });

  it("uses a transformer registered with superjson's registerCustom", () => {
    class Decimal {
      constructor(readonly digits: string) {}
    }
    registerCustom<Decimal, string>(
      { isApplicable: (v): v is Decimal => v instanceof Decimal, serialize: (v) => v.digits, deserialize: (v) => new Decimal(v) },
      "decimal",
    );
    expect(read({ amount: new Decimal("10.50") })).toEqual({ amount: "10.50" });
  });

  it("recognises built-ins from another realm", () => {
    const foreign = runInNewContext(
      '({ d: new Date(0), m: new Map([["a", 1]]), s: new Set([1]), e: new TypeError("x"), r: /x/g, b: new Uint8Array([7]).buffer })',
    ) as unknown;
    expect(read(foreign)).toMatchObject({
      d: "1970-01-01T00:00:00.000Z",
      m: { a: 1 },
      s: [1],
      e: { name: "TypeError", message: "x" },
      r: "/x/g",
      b: [7],
    });
  });

  it("marks an object faking a built-in's tag instead of throwing", () => {
    class FakeMap {
      readonly [Symbol.toStringTag] = "Map";
    }
    expect(read({ fake: new FakeMap() })).toEqual({ fake: expect.stringMatching(/^\[Unserializable: /) });
  });

  it("marks references to enclosing objects, keeps shared ones", () => {
    const shared = { s: 1 };
    const root: Record<string, unknown> = { a: shared, b: shared };
    root.self = root;
    root.list = [root, { up: root }];
    expect(read(root)).toEqual({ a: { s: 1 }, b: { s: 1 }, self: "[Circular]", list: ["[Circular]", { up: "[Circular]" }] });
  });

  it("marks cycles through Maps, Sets and toJSON", () => {
    const m = new Map<string, unknown>();
    m.set("me", m);
    const s = new Set<unknown>();
    s.add(s);
    const selfish = {
      toJSON(): unknown {
        return selfish;
      },
    };
    expect(read([m, s])).toEqual([{ me: "[Circular]" }, ["[Circular]"]]);
    expect(() =>
      JSON.parse(
        safeSerialize(
          new (class {
            toJSON(): unknown {
              return this;
            }
          })(),
        ),
      ),
    ).not.toThrow();
  });

  it("caps depth", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 200; i++) deep = { d: deep };
    let out = read(deep);
    let levels = 0;
    while (typeof out === "object" && out !== null) {
      out = (out as { d: unknown }).d;
      levels++;
    }
    expect(levels).toBe(64);
    expect(out).toBe("[Max depth]");
  });
});
