import fc from "fast-check";

/** Any UTF-16 code unit, lone surrogates included. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyString = fc.string({ unit: codeUnit, maxLength: 40, size: "medium" });

const TRAPS = ["getPrototypeOf", "ownKeys", "getOwnPropertyDescriptor", "get", "has", "apply", "isExtensible"];

/** What a hostile getter or trap throws: not always an Error, not always readable. */
const THROWN: Array<() => unknown> = [
  () => new Error("boom"),
  () => "a string",
  () => undefined,
  () => Symbol("thrown"),
  () =>
    Object.defineProperty(new Error(), "message", {
      get: () => {
        throw new Error("again");
      },
    }),
  () =>
    new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error("proxy");
        },
        get: () => {
          throw new Error("proxy");
        },
      },
    ),
];

const HUGE_STRINGS = [
  "a".repeat(200_000),
  "😀".repeat(60_000),
  '"\\\u0001'.repeat(40_000),
  "\ud800x".repeat(30_000),
  "中文".repeat(50_000),
];

/**
 * A plain description of a hostile value (cycles, throwing getters and proxy traps, huge
 * strings, every built-in type). fast-check generates, shrinks and
 * prints these; the value itself is only built inside the property, because
 * fast-check would trip over the proxies and getters it inspects.
 */
export type Spec =
  | { leaf: unknown }
  | { huge: number }
  | { array: Spec[] }
  | { dict: Array<[string, Spec]> }
  | { set: Spec[] }
  | { map: Array<[Spec, Spec]> }
  | { getter: Spec; thrown: number }
  | { proxy: Spec; traps: string[]; thrown: number }
  | { cycle: Spec }
  | { argument: number };

function throwing(thrown: number): () => never {
  return () => {
    throw THROWN[thrown]();
  };
}

/**
 * Values aimed at the argument positions of the API (names, options, carriers): header carriers
 * whose reads throw or mislead, typed arrays and boxed strings where an object belongs, names
 * that are not strings.
 */
const ARGUMENTS: Array<() => unknown> = [
  () => new Uint8Array(64 * 1024),
  () => new String("x".repeat(100_000)),
  () => "x".repeat(100_000),
  () => ({
    get: () => {
      throw new Error("getter");
    },
  }),
  () => ({ traceparent: ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-1"], baggage: 42 }),
  () => ({ baggage: "judgment.span_kind=evil,judgment.session_id=s".repeat(300) }),
  () =>
    new Map<unknown, unknown>([
      [
        "traceparent",
        {
          toString: () => {
            throw new Error("toString");
          },
        },
      ],
    ]),
  () => new Headers({ traceparent: "00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-ff", baggage: "a=b" }),
  () =>
    Object.defineProperty({}, "name", {
      enumerable: true,
      get: () => {
        throw new Error("name");
      },
    }),
  () => ({ name: new Uint8Array(8), attributes: "not a record", spanType: Symbol("kind"), ignoreBaggage: "yes" }),
  () => Object.create(null) as unknown,
];

export function build(spec: Spec): unknown {
  if ("leaf" in spec) return spec.leaf;
  if ("argument" in spec) return ARGUMENTS[spec.argument]();
  if ("huge" in spec) return HUGE_STRINGS[spec.huge];
  if ("array" in spec) return spec.array.map(build);
  if ("dict" in spec) return Object.fromEntries(spec.dict.map(([k, v]) => [k, build(v)]));
  if ("set" in spec) return new Set(spec.set.map(build));
  if ("map" in spec) return new Map(spec.map.map(([k, v]) => [build(k), build(v)]));
  if ("getter" in spec) {
    return Object.defineProperty({ value: build(spec.getter) }, "trap", { enumerable: true, get: throwing(spec.thrown) });
  }
  if ("proxy" in spec) {
    const inner = build(spec.proxy);
    const handler: Record<string, () => never> = {};
    for (const trap of spec.traps) handler[trap] = throwing(spec.thrown);
    return new Proxy(typeof inner === "object" && inner !== null ? inner : { inner }, handler);
  }
  const node: Record<string, unknown> = { value: build(spec.cycle) };
  node.self = node;
  node.list = [node, node.value];
  const map = new Map<string, unknown>([["node", node]]);
  map.set("map", map);
  node.map = map;
  return node;
}

const thrownIndex = fc.integer({ min: 0, max: THROWN.length - 1 });

/** Descriptions of hostile values; `build` makes the value. */
export const { spec } = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .anything({
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withNullPrototype: true,
        withObjectString: true,
        withSet: true,
        withSparseArray: true,
        withTypedArray: true,
        stringUnit: codeUnit,
        size: "medium",
      })
      .map((leaf) => ({ leaf })),
    fc
      .constantFrom<unknown>(Symbol("s"), () => 1, NaN, -0, Infinity, 10n ** 30n, new Date(NaN), /re/g, new URL("http://x/"))
      .map((leaf) => ({ leaf })),
    fc.integer({ min: 0, max: HUGE_STRINGS.length - 1 }).map((huge) => ({ huge })),
    fc.array(tie("spec"), { maxLength: 5 }).map((array) => ({ array })),
    fc.array(fc.tuple(anyString, tie("spec")), { maxLength: 5 }).map((dict) => ({ dict })),
    fc.array(tie("spec"), { maxLength: 5 }).map((set) => ({ set })),
    fc.array(fc.tuple(tie("spec"), tie("spec")), { maxLength: 4 }).map((map) => ({ map })),
    fc.tuple(tie("spec"), thrownIndex).map(([getter, thrown]) => ({ getter, thrown })),
    fc.tuple(tie("spec"), fc.subarray(TRAPS, { minLength: 1 }), thrownIndex).map(([proxy, traps, thrown]) => ({ proxy, traps, thrown })),
    tie("spec").map((cycle) => ({ cycle })),
    fc.integer({ min: 0, max: ARGUMENTS.length - 1 }).map((argument) => ({ argument })),
  ),
}));
