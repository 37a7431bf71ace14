/**
 * Parameter names of a function, read from its source text once per observed
 * function (the per-call mapping of arguments onto them is in `input.ts`).
 *
 * The reader runs over a small tokenizer (`tokens.ts`), not a JavaScript parser: it only has to
 * find the parameter list (skipping strings, templates, regexes, comments and
 * bracketed groups such as computed method names) and split it at top-level
 * commas.
 */

import { nesting, Scanner, type Token } from "./tokens.js";

/** How one declared parameter maps to the call's arguments. */
export interface ParamSpec {
  name: string;
  rest: boolean;
  /** A destructured parameter: the names it binds, each read from its place in the argument. */
  bindings?: Binding[];
  /** The default, when it is a literal (string, number, boolean, null, `[]`, `{}`): recorded when the argument is omitted. */
  fallback?: { value: unknown };
}

/** One name a destructuring pattern binds: where its value sits in the argument. */
export interface Binding {
  name: string;
  path: Array<string | number>;
  /** An array rest element (`[a, ...more]`): the elements from this index on. */
  restFrom?: number;
}

/** Longest name given to a destructured parameter before it is shortened. */
const MAX_PATTERN_NAME = 60;

/** Index just past the element starting at `i`: after its top-level comma, or
 * at the `close` token that ends the enclosing list. */
function skipElement(tokens: readonly Token[], i: number, close: string): number {
  let depth = 0;
  for (; i < tokens.length; i++) {
    const { text } = tokens[i];
    if (depth === 0 && text === ",") return i + 1;
    if (depth === 0 && text === close) return i;
    depth += nesting(text);
  }
  return i;
}

/**
 * Readable name of a destructuring pattern: the keys it binds, defaults and
 * renames left out — `{ a, b: { c }, d = 1 }` reads `{ a, b, d }`,
 * `[x, , { y }]` reads `[x, , { y }]`.
 */
function describePattern(tokens: readonly Token[], start: number): { text: string; end: number } {
  const open = tokens[start].text;
  const close = open === "{" ? "}" : "]";
  const parts: string[] = [];
  let i = start + 1;
  while (i < tokens.length && tokens[i].text !== close) {
    if (tokens[i].text === ",") {
      parts.push(""); // array hole
      i++;
      continue;
    }
    let prefix = "";
    if (tokens[i].text === "...") {
      prefix = "...";
      i++;
    }
    const head = tokens[i];
    if (head === undefined) break;
    let part = head.text;
    if (head.text === "{" || head.text === "[") {
      // In an object pattern a leading bracket is a computed key, shown as written.
      const nested = describePattern(tokens, i);
      part =
        open === "{" && head.text === "["
          ? tokens
              .slice(i, nested.end)
              .map((t) => t.text)
              .join("")
          : nested.text;
      i = nested.end;
    } else i++;
    parts.push(prefix + part);
    i = skipElement(tokens, i, close);
  }
  const text = open === "{" ? `{ ${parts.join(", ")} }` : `[${parts.join(", ")}]`;
  return { text, end: i + 1 };
}

/** The names an object or array pattern starting at `start` binds, with their paths under `base`. */
function bindingsOf(tokens: readonly Token[], start: number, base: Array<string | number>, out: Binding[]): number {
  const open = tokens[start].text;
  const close = open === "{" ? "}" : "]";
  let i = start + 1;
  let index = 0;
  while (i < tokens.length && tokens[i].text !== close) {
    if (tokens[i].text === ",") {
      index++; // array hole
      i++;
      continue;
    }
    const rest = tokens[i].text === "...";
    if (rest) i++;
    const head = tokens[i];
    if (head === undefined) break;
    if (open === "[") {
      if (head.text === "{" || head.text === "[") i = bindingsOf(tokens, i, [...base, index], out);
      else if (head.kind === "ident") {
        out.push(rest ? { name: head.text, path: base, restFrom: index } : { name: head.text, path: [...base, index] });
        i++;
      }
    } else if (!rest && head.text !== "[") {
      // `key`, `key: target`, `key: { nested }`, `"key": target`; a computed key cannot be read
      const key = head.kind === "literal" ? unquote(head.text) : head.text;
      i++;
      if (key !== undefined && tokens[i]?.text === ":") {
        const target = tokens[i + 1];
        if (target?.text === "{" || target?.text === "[") i = bindingsOf(tokens, i + 1, [...base, key], out);
        else if (target?.kind === "ident") out.push({ name: target.text, path: [...base, key] });
      } else if (key !== undefined && head.kind === "ident") out.push({ name: key, path: [...base, key] });
    }
    i = skipElement(tokens, i, close);
    index++;
  }
  return i + 1;
}

/** The text of a plain string literal, or undefined (escapes and substitutions are not evaluated). */
function unquote(text: string): string | undefined {
  const quote = text[0];
  if ((quote !== '"' && quote !== "'" && quote !== "`") || text.length < 2 || text[text.length - 1] !== quote) return undefined;
  const body = text.slice(1, -1);
  return body.includes("\\") || (quote === "`" && body.includes("${")) ? undefined : body;
}

const NUMBER = /^-?\d[\d_]*(\.\d+)?([eE][+-]?\d+)?$/;

/** The value of a default made of literal tokens only, else undefined (it is not evaluated). */
function literalDefault(tokens: readonly Token[]): { value: unknown } | undefined {
  // the scanner splits `-1.5` into `-`, `1`, `.`, `5`: numbers are read from the joined text
  const text = tokens.map((t) => t.text).join("");
  if (text === "[]") return { value: [] };
  if (text === "{}") return { value: {} };
  if (text === "true" || text === "false") return { value: text === "true" };
  if (text === "null") return { value: null };
  if (NUMBER.test(text)) return { value: Number(text.replace(/_/g, "")) };
  const str = tokens.length === 1 && tokens[0].kind === "literal" ? unquote(text) : undefined;
  return str === undefined ? undefined : { value: str };
}

function shorten(name: string): string {
  return name.length > MAX_PATTERN_NAME ? `${name.slice(0, MAX_PATTERN_NAME - 1)}…` : name;
}

function toSpec(tokens: readonly Token[], index: number): ParamSpec {
  const rest = tokens[0].text === "...";
  const at = rest ? 1 : 0;
  const head = tokens[at];
  if (head?.kind === "ident") {
    const fallback = !rest && tokens[at + 1]?.text === "=" ? literalDefault(tokens.slice(at + 2)) : undefined;
    return fallback ? { name: head.text, rest, fallback } : { name: head.text, rest };
  }
  if (head?.text === "{" || head?.text === "[") {
    const spec: ParamSpec = { name: shorten(describePattern(tokens, at).text), rest };
    if (!rest) {
      const bindings: Binding[] = [];
      const end = bindingsOf(tokens, at, [], bindings);
      if (bindings.length > 0) spec.bindings = bindings;
      const fallback = tokens[end]?.text === "=" ? literalDefault(tokens.slice(end + 1)) : undefined;
      if (fallback) spec.fallback = fallback;
    }
    return spec;
  }
  return { name: `arg${index}`, rest };
}

/** Reads the list after its `(`; undefined if it never closes. */
function readList(scanner: Scanner): ParamSpec[] | undefined {
  const params: ParamSpec[] = [];
  let segment: Token[] = [];
  let depth = 0;
  for (let t = scanner.next(); t !== undefined; t = scanner.next()) {
    if (depth === 0 && (t.text === "," || t.text === ")")) {
      if (segment.length > 0) params.push(toSpec(segment, params.length));
      if (t.text === ")") return params;
      segment = [];
      continue;
    }
    depth += nesting(t.text);
    segment.push(t);
  }
  return undefined;
}

/** Makes names distinct (sloppy-mode duplicates, equal patterns) and keeps
 * `__proto__` from becoming a prototype assignment in {@link buildInput}. */
function distinct(params: ParamSpec[]): ParamSpec[] {
  const seen = new Set<string>();
  params.forEach((p, i) => {
    if (seen.has(p.name) || p.name === "__proto__") p.name = `${p.name}#${i}`;
    seen.add(p.name);
  });
  return params;
}

/** Helpers tsc calls to run a downlevelled async function or async generator. */
const TSC_ASYNC_HELPERS = new Set(["__awaiter", "__asyncGenerator"]);

/**
 * Below ES2017 (ES2018 for async generators) tsc compiles
 * `async m(a, b = 1) {…}` to
 * `m(a_1) { return __awaiter(this, arguments, void 0, function* (a, b = 1) {…}) }`:
 * the real list is the inner function's. Reads it when the body has that
 * shape, else returns `declared`.
 */
function unwrapTscAsync(scanner: Scanner, declared: ParamSpec[]): ParamSpec[] {
  for (const expected of ["{", "return", "<helper>", "(", "this", ",", "arguments", ","]) {
    const text = scanner.next()?.text ?? "";
    if (expected === "<helper>" ? !TSC_ASYNC_HELPERS.has(text) : text !== expected) return declared;
  }
  // Then `void 0, function* (` or `function* name(`.
  for (let i = 0; i < 6; i++) {
    const t = scanner.next();
    if (t?.text === "(") return readList(scanner) ?? declared;
  }
  return declared;
}

function parseSource(src: string): ParamSpec[] {
  const scanner = new Scanner(src);
  const list = (): ParamSpec[] => {
    const declared = readList(scanner);
    return declared === undefined ? [] : distinct(unwrapTscAsync(scanner, declared));
  };
  const first = scanner.next();
  if (first === undefined) return [];
  if (first.text === "class") {
    // `class A …` has no parameter list of its own; `class(…)` is a method named "class".
    return scanner.next()?.text === "(" ? list() : [];
  }
  let previous: Token | undefined;
  for (let t: Token | undefined = first; t !== undefined; previous = t, t = scanner.next()) {
    if (t.text === "(") return list();
    if (t.text === "=>") return previous?.kind === "ident" ? [{ name: previous.text, rest: false }] : [];
    if (t.text === "{") return [];
    // A computed method name, e.g. `[Symbol.iterator](…)`, may hold parens.
    if (t.text === "[" && !scanner.skipGroup()) return [];
  }
  return [];
}

/**
 * Reads the declared parameters of a function from its source text
 * (Function.prototype.toString). Never throws: unparseable → [].
 *
 * Handles declarations, expressions, arrows, async functions and generators,
 * class and object-literal methods (getters, setters, computed, string and
 * private names), defaults of any shape, rest parameters and comments. A
 * destructured parameter is named after the keys it binds, e.g. `{ a, b }` or
 * `[x, y]` (at most 60 characters). Repeated names get `#<position>`
 * appended. tsc's downlevelled async methods (`__awaiter(this, arguments,
 * …)`) are read through to the original list. Native and bound functions and
 * classes give []; ES5 output that moved a rest parameter into the body loses
 * it (those arguments are then recorded as extra arguments).
 */
export function parseParams(fn: Function): ParamSpec[] {
  try {
    return parseSource(Function.prototype.toString.call(fn));
  } catch {
    return [];
  }
}
