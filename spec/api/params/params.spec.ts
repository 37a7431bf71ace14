import ts from "typescript";
import { buildInput, EXTRA_ARGS_KEY } from "../../../lib/api/params/input.js";
import { parseParams, type ParamSpec } from "../../../lib/api/params/params.js";

/** `"...x"` is a rest parameter named x. */
function specs(...names: string[]): ParamSpec[] {
  return names.map((n) => (n.startsWith("...") ? { name: n.slice(3), rest: true } : { name: n, rest: false }));
}

/** Names and rest flags only (bindings and literal defaults have their own tests). */
function names(fn: Function): ParamSpec[] {
  return parseParams(fn).map(({ name, rest }) => ({ name, rest }));
}

/** Evaluates source text as written (no transpilation in between). */
function evaluate(expression: string): Function {
  return (0, eval)(`(${expression})`) as Function;
}

describe("parseParams", () => {
  const table: Array<[string, string, string[]]> = [
    // functions
    ["declaration", "function f(a, b) {}", ["a", "b"]],
    ["anonymous expression", "function (a,b,c){}", ["a", "b", "c"]],
    ["no parameters", "function f() { return (a, b); }", []],
    ["async", "async function f(a) {}", ["a"]],
    ["generator", "function* g(a, b) {}", ["a", "b"]],
    ["generator, star by the name", "function *g(a){}", ["a"]],
    ["async generator", "async function* g(a) {}", ["a"]],
    ["unicode and $ names", "function f(ünï, $d, _e) {}", ["ünï", "$d", "_e"]],
    ["trailing comma", "function f(a, b,) {}", ["a", "b"]],
    ["sloppy duplicate names", "function f(a, a) {}", ["a", "a#1"]],
    ["__proto__ kept an own key", "function f(__proto__) {}", ["__proto__#0"]],
    // arrows
    ["arrow without parens", "a => a", ["a"]],
    ["arrow with parens", "(a) => a", ["a"]],
    ["arrow, two params", "(a, b) => a", ["a", "b"]],
    ["arrow, none", "() => 1", []],
    ["async arrow without parens", "async a => a", ["a"]],
    ["async arrow", "async (a, b) => a", ["a", "b"]],
    ["arrow whose param is named async", "async => async", ["async"]],
    ["arrow with rest", "(...xs) => xs", ["...xs"]],
    // defaults
    ["default with parens and commas", "function f(a = (1, 2), b) {}", ["a", "b"]],
    ["default strings with quotes and escapes", "function f(a = \"x,)\", b = 'y\\',)', c) {}", ["a", "b", "c"]],
    ["default template with substitutions", "function f(a = `x${(1, 2)}, ${`in ${'}'} )`}`, b) {}", ["a", "b"]],
    ["default regex with , and )", "function f(a = /,\\)[,)\\/]/g, b) {}", ["a", "b"]],
    ["division is not a regex", "function f(a = 4 / 2, b = (1) / 2 / 1, c) {}", ["a", "b", "c"]],
    ["default arrow with block body", "function f(cb = (x, y) => { return x, y; }, b) {}", ["cb", "b"]],
    ["default object and array", "function f(o = { a: 1, b: [2, 3] }, b = [4, { c: 5 }]) {}", ["o", "b"]],
    ["default calling with a regex after typeof", "function f(a = typeof /,/ , b) {}", ["a", "b"]],
    // rest and destructuring
    ["rest", "function f(a, ...args) {}", ["a", "...args"]],
    ["destructured object and array", "function f({ a, b }, [x, y]) {}", ["{ a, b }", "[x, y]"]],
    [
      "destructured with defaults, renames, nesting, holes, rest",
      "function f({ a = 1, b: { c }, ...rest } = {}, [, y, { z }, ...zs]) {}",
      ["{ a, b, ...rest }", "[, y, { z }, ...zs]"],
    ],
    ["rest destructured", "function f(...[a, b]) {}", ["...[a, b]"]],
    ["computed and quoted keys", 'function f({ [k + "("]: v, "q-r": w, 3: t }) {}', ['{ [k+"("], "q-r", 3 }']],
    ["same pattern twice", "function f({ a }, { a: b }) {}", ["{ a }", "{ a }#1"]],
    [
      "long pattern shortened",
      "function f({ alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel, india }) {}",
      ["{ alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel,…"],
    ],
    // comments
    ["block and line comments in the list", "function f(a /* , fake) */, // c, d)\n b) {}", ["a", "b"]],
    ["comments in the header", "function /* ( */ f /* x) */ (a) {}", ["a"]],
    ["comment markers inside strings", 'function f(a = "/*", b = "//", c) {}', ["a", "b", "c"]],
    // object-literal and class methods
    ["object method", "({ m(a, b) {} }).m", ["a", "b"]],
    ["async object method", "({ async m(a) {} }).m", ["a"]],
    ["generator method", "({ *g(a) {} }).g", ["a"]],
    ["async generator method", "({ async *g(a, b) {} }).g", ["a", "b"]],
    ["static method", "(class { static s(a) {} }).s", ["a"]],
    ["static async generator method", "(class { static async *gen(a, b) {} }).gen", ["a", "b"]],
    ["getter", 'Object.getOwnPropertyDescriptor(class { get x() { return 1; } }.prototype, "x").get', []],
    ["setter", 'Object.getOwnPropertyDescriptor(class { set x(v) {} }.prototype, "x").set', ["v"]],
    ["computed name", "(class { [Symbol.iterator](a) {} }).prototype[Symbol.iterator]", ["a"]],
    ["computed name with parens", '({ [("k" + "(")](a, b) {} })["k("]', ["a", "b"]],
    ["string name", '({ "my method"(a) {} })["my method"]', ["a"]],
    ["string name with a paren", '({ "m(x"(a) {} })["m(x"]', ["a"]],
    ["numeric name", "({ 1(a) {} })[1]", ["a"]],
    ["private method", "new (class { #p(z) {} get p() { return this.#p; } })().p", ["z"]],
    ["method named class", "({ class(a) {} }).class", ["a"]],
    ["method named get", "({ get(a) {} }).get", ["a"]],
    ["method named async", "({ async(a) {} }).async", ["a"]],
    // nothing to read
    ["class", "class A { constructor(a) {} }", []],
    ["class extending a call", "class extends Object.assign(function B(x) {}, {}) {}", []],
    ["bound function", "(function f(a) {}).bind(null)", []],
    ["native function", "Math.max", []],
    ["native getter", 'Object.getOwnPropertyDescriptor(Map.prototype, "size").get', []],
    ["proxied function", "new Proxy(function f(a) {}, {})", []],
  ];

  it.each(table)("%s", (_label, source, expected) => {
    expect(names(evaluate(source))).toEqual(specs(...expected));
  });

  it("returns [] for whatever is not a function", () => {
    expect(parseParams({} as unknown as Function)).toEqual([]);
    expect(parseParams(null as unknown as Function)).toEqual([]);
  });

  it("reads functions compiled by ts-jest, as the SDK meets them", () => {
    class Agent {
      async run(query: string, options: { k?: number } = {}, ...tools: string[]): Promise<number> {
        return query.length + (options.k ?? 0) + tools.length;
      }
    }
    expect(names(Agent.prototype.run)).toEqual(specs("query", "options", "...tools"));
    expect(names(({ a }: { a: number }, b = a) => b)).toEqual(specs("{ a }", "b"));
  });

  describe("TypeScript output of decorated class methods", () => {
    const source = `
      function observe<T>(target: T, _context: ClassMethodDecoratorContext): T { return target; }
      export class Agent {
        @observe async run(query: string, options: { k?: number } = {}, ...rest: number[]): Promise<void> {}
        @observe static make(size: number, /* why */ label = "a,b"): void {}
        @observe async *stream(prompt: string, { temperature = 0.5 }: { temperature?: number } = {}) { yield prompt + temperature; }
      }`;

    function compile(target: ts.ScriptTarget): { Agent: { make: Function; prototype: Record<string, Function> } } {
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { target, module: ts.ModuleKind.CommonJS },
      });
      const exports = {};
      new Function("exports", "require", outputText)(exports, require);
      return exports as { Agent: { make: Function; prototype: Record<string, Function> } };
    }

    it.each([
      ["ES2022", ts.ScriptTarget.ES2022],
      ["ES2017", ts.ScriptTarget.ES2017],
      ["ES2015", ts.ScriptTarget.ES2015],
    ])("target %s", (_name, target) => {
      const { Agent } = compile(target);
      expect(names(Agent.prototype.run)).toEqual(specs("query", "options", "...rest"));
      expect(names(Agent.make)).toEqual(specs("size", "label"));
      expect(names(Agent.prototype.stream)).toEqual(specs("prompt", "{ temperature }"));
    });

    it("target ES5 moves rest parameters into the body, so they land with the extra arguments", () => {
      const { Agent } = compile(ts.ScriptTarget.ES5);
      expect(names(Agent.prototype.run)).toEqual(specs("query", "options"));
    });
  });
});

describe("buildInput", () => {
  const table: Array<[string, string[], unknown[], Record<string, unknown>]> = [
    ["one argument per parameter", ["a", "b"], [1, 2], { a: 1, b: 2 }],
    ["missing argument is undefined", ["a", "b"], [1], { a: 1, b: undefined }],
    ["extra arguments", ["a"], [1, 2, 3], { a: 1, [EXTRA_ARGS_KEY]: [2, 3] }],
    ["no declared parameters", [], [1, "x"], { [EXTRA_ARGS_KEY]: [1, "x"] }],
    ["no parameters, no arguments", [], [], {}],
    ["rest takes the remaining arguments", ["a", "...more"], [1, 2, 3], { a: 1, more: [2, 3] }],
    ["empty rest", ["a", "...more"], [1], { a: 1, more: [] }],
    ["a pattern with no bindings read is recorded whole", ["{ a, b }"], [{ a: 1, b: 2 }], { "{ a, b }": { a: 1, b: 2 } }],
  ];

  it.each(table)("%s", (_label, names, args, expected) => {
    expect(buildInput(specs(...names), args)).toEqual(expected);
  });

  const fromSource: Array<[string, string, unknown[], Record<string, unknown>]> = [
    [
      "object pattern by the names it binds",
      "function f({ a, b: x, c: { d }, 'q-r': w, [k]: skipped }) {}",
      [{ a: 1, b: 2, c: { d: 3 }, "q-r": 4 }],
      { a: 1, x: 2, d: 3, w: 4 },
    ],
    ["array pattern with holes and rest", "function f([, y, { z }, ...zs]) {}", [[0, 1, { z: 2 }, 3, 4]], { y: 1, z: 2, zs: [3, 4] }],
    ["pattern over a missing argument", "function f({ a } = {}, [b]) {}", [], { a: undefined, b: undefined }],
    [
      "literal defaults of omitted arguments",
      "function f(a, b = 2, c = 'x', d = -1.5, e = null, g = [], h = {}, i = true, j = Date.now(), k = `t`) {}",
      [1],
      { a: 1, b: 2, c: "x", d: -1.5, e: null, g: [], h: {}, i: true, j: undefined, k: "t" },
    ],
    ["a passed argument wins over the default", "function f(b = 2) {}", [5], { b: 5 }],
    [
      "a throwing getter reads as undefined",
      "function f({ boom, ok }) {}",
      [
        Object.defineProperty({ ok: 1 }, "boom", {
          get: () => {
            throw new Error("x");
          },
        }),
      ],
      { boom: undefined, ok: 1 },
    ],
  ];

  it.each(fromSource)("%s", (_label, source, args, expected) => {
    expect(buildInput(parseParams(evaluate(source)), args)).toEqual(expected);
  });

  it("accepts an arguments object", () => {
    function f(..._ignored: unknown[]): Record<string, unknown> {
      // eslint-disable-next-line prefer-rest-params
      return buildInput(specs("x"), arguments);
    }
    expect(f(1, 2)).toEqual({ x: 1, [EXTRA_ARGS_KEY]: [2] });
  });

  it("keeps a parameter named __proto__ as a plain own key", () => {
    const input = buildInput(parseParams(evaluate("function f(__proto__) {}")), [{ polluted: true }]);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(input["__proto__#0"]).toEqual({ polluted: true });
  });
});
