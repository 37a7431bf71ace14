import { createSerializer, safeSerialize } from "../../lib/serialize/index.js";

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** Serializes and checks the result is JSON within the default cap. */
function parsed(value: unknown): unknown {
  const out = safeSerialize(value);
  expect(bytes(out)).toBeLessThanOrEqual(65536);
  return JSON.parse(out);
}

const UNSERIALIZABLE = /^\[Unserializable: .*\]$/s;

const TRAPS = [
  "getPrototypeOf",
  "setPrototypeOf",
  "isExtensible",
  "preventExtensions",
  "getOwnPropertyDescriptor",
  "defineProperty",
  "has",
  "get",
  "set",
  "deleteProperty",
  "ownKeys",
  "apply",
  "construct",
] as const;

function throwingOn(...traps: readonly string[]): ProxyHandler<object> {
  const handler: Record<string, () => never> = {};
  for (const trap of traps) {
    handler[trap] = () => {
      throw new Error(`trap ${trap}`);
    };
  }
  return handler;
}

describe("safeSerialize: hostile values", () => {
  it("turns a throwing getter into a marker for that property only", () => {
    const value = {
      before: 1,
      get bad(): never {
        throw new Error("getter exploded");
      },
      after: 2,
    };
    expect(parsed(value)).toEqual({ before: 1, bad: "[Unserializable: getter exploded]", after: 2 });
  });

  it.each<[string, () => unknown]>([
    ["a string", () => "plain string"],
    ["undefined", () => undefined],
    ["a symbol", () => Symbol("s")],
    [
      "an error with a throwing message",
      () =>
        Object.defineProperty(new Error(), "message", {
          get: () => {
            throw new Error("again");
          },
        }),
    ],
    ["a proxy throwing on every trap", () => new Proxy({}, throwingOn(...TRAPS))],
  ])("survives a getter throwing %s", (_label, makeThrown) => {
    const value = Object.defineProperty({}, "x", {
      enumerable: true,
      get: () => {
        throw makeThrown();
      },
    });
    expect((parsed(value) as { x: string }).x).toMatch(UNSERIALIZABLE);
  });

  it("marks a throwing array element and keeps the others", () => {
    const arr = [1, 2, 3];
    Object.defineProperty(arr, 1, {
      get: () => {
        throw new Error("no");
      },
    });
    expect(parsed(arr)).toEqual([1, "[Unserializable: no]", 3]);
  });

  describe.each(TRAPS)("a Proxy whose %s trap throws", (trap) => {
    const targets: Array<[string, () => object]> = [
      ["object", () => ({ a: 1, nested: { b: [1, 2] } })],
      ["array", () => [1, { c: 2 }]],
      ["function", () => function named() {}],
      ["Map", () => new Map([["k", 1]])],
      ["Date", () => new Date(0)],
      [
        "class instance",
        () =>
          new (class Thing {
            x = 1;
          })(),
      ],
    ];
    it.each(targets)("over a %s, at the top and nested", (_kind, target) => {
      const proxy = new Proxy(target(), throwingOn(trap));
      parsed(proxy);
      const out = parsed({ ok: true, proxy, list: [proxy] }) as { ok: boolean };
      expect(out.ok).toBe(true);
    });
  });

  it("marks a revoked proxy", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(parsed({ p: proxy })).toEqual({ p: expect.stringMatching(UNSERIALIZABLE) });
    expect(parsed(proxy)).toEqual(expect.stringMatching(UNSERIALIZABLE));
  });

  it("marks throwing toJSON, iterators and name getters", () => {
    class Bad {
      toJSON(): never {
        throw new Error("toJSON");
      }
    }
    const badSet = new Set([1]);
    badSet[Symbol.iterator] = () => {
      throw new Error("iterator");
    };
    const badMap = new Map([["a", 1]]);
    badMap[Symbol.iterator] = () => {
      throw new Error("entries");
    };
    const fn = Object.defineProperty(() => 1, "name", {
      get: () => {
        throw new Error("name");
      },
    });
    expect(parsed({ bad: new Bad(), badSet, badMap, fn })).toEqual({
      bad: "[Unserializable: toJSON]",
      badSet: "[Unserializable: iterator]",
      badMap: "[Unserializable: entries]",
      fn: "[Function (anonymous)]",
    });
  });

  it("stops an endless lazy structure at the depth cap", () => {
    const endless = (): object => ({
      get next(): object {
        return endless();
      },
    });
    expect(() => parsed(endless())).not.toThrow();
  });

  it("does not overflow the stack on very deep nesting", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => parsed(deep)).not.toThrow();
  });

  it("stops early on enormous values instead of walking them", () => {
    const serialize = createSerializer({ maxBytes: 1024 });
    for (const value of [
      new Array(2 ** 32 - 1),
      "x".repeat(50_000_000),
      { s: "é".repeat(20_000_000) },
      new Uint8Array(100_000_000),
      new Map(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i])),
    ]) {
      const out = serialize(value);
      expect(bytes(out)).toBeLessThanOrEqual(1024);
      expect(JSON.parse(out)).toMatch(/…\[truncated \d+\+? bytes\]$/);
    }
  });

  it("reads only as many elements and fields as fit the cap", () => {
    let reads = 0;
    const huge = new Proxy([], { get: (_t, k) => (k === "length" ? 2 ** 32 - 1 : (reads++, "item")) });
    const wide: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) Object.defineProperty(wide, `k${i}`, { enumerable: true, get: () => (reads++, i) });
    const serialize = createSerializer({ maxBytes: 1024 });
    for (const value of [huge, wide]) {
      reads = 0;
      expect(bytes(serialize(value))).toBeLessThanOrEqual(1024);
      // about one read per element written; far from the millions a full walk would make
      expect(reads).toBeLessThan(1024);
    }
  });
});
