import type { CapturedSpan, CapturedTrace } from "./tree.js";

/**
 * What a span must look like; every field given must match. `input` and `output` match as
 * `toMatchObject` does (objects may have more keys); `error: true` matches any error.
 */
export interface SpanQuery {
  name?: string | RegExp;
  kind?: string;
  input?: unknown;
  output?: unknown;
  error?: string | RegExp | true;
  model?: string;
  provider?: string;
}

/** Where to look: one trace, several, or a span and the tree below it. */
export type SpanSource = CapturedTrace | readonly CapturedTrace[] | CapturedSpan;

function isTrace(source: CapturedTrace | CapturedSpan): source is CapturedTrace {
  return "root" in source;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `expected` is contained in `actual`: objects by their given keys, arrays element by element. */
function matchesPartially(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matchesPartially(actual[i], e));
  }
  if (isPlainObject(expected)) {
    return isPlainObject(actual) && Object.keys(expected).every((k) => matchesPartially(actual[k], expected[k]));
  }
  return Object.is(actual, expected);
}

function textMatches(actual: string | undefined, expected: string | RegExp): boolean {
  return actual !== undefined && (typeof expected === "string" ? actual === expected : expected.test(actual));
}

/** True when `span` satisfies every field of `query`. */
export function spanMatches(span: CapturedSpan, query: SpanQuery): boolean {
  if (query.name !== undefined && !textMatches(span.name, query.name)) return false;
  if (query.kind !== undefined && span.kind !== query.kind) return false;
  if (query.model !== undefined && span.model !== query.model) return false;
  if (query.provider !== undefined && span.provider !== query.provider) return false;
  if ("input" in query && !matchesPartially(span.input, query.input)) return false;
  if ("output" in query && !matchesPartially(span.output, query.output)) return false;
  if (query.error !== undefined) {
    if (span.error === undefined) return false;
    if (query.error !== true && !textMatches(span.error, query.error)) return false;
  }
  return true;
}

function spansOf(source: SpanSource): CapturedSpan[] {
  if (Array.isArray(source)) return (source as readonly CapturedTrace[]).flatMap((t) => t.spans);
  const one = source as CapturedTrace | CapturedSpan;
  if (isTrace(one)) return one.spans;
  const out: CapturedSpan[] = [];
  const walk = (s: CapturedSpan): void => {
    out.push(s);
    s.children.forEach(walk);
  };
  walk(one);
  return out;
}

/** Every span of `source` matching `query`, in start order. */
export function findSpans(source: SpanSource, query: SpanQuery = {}): CapturedSpan[] {
  return spansOf(source).filter((s) => spanMatches(s, query));
}

/** The first span of `source` matching `query`, or undefined. */
export function findSpan(source: SpanSource, query: SpanQuery = {}): CapturedSpan | undefined {
  return spansOf(source).find((s) => spanMatches(s, query));
}

/**
 * The shape of the traces as indented lines, `kind name` each (LLM spans add their model), e.g.
 * `agent run\n  llm chat gpt-4o\n  tool search`: short enough for an inline snapshot.
 */
export function outline(source: SpanSource): string {
  const roots = Array.isArray(source)
    ? (source as readonly CapturedTrace[]).map((t) => t.root)
    : [isTrace(source as CapturedTrace | CapturedSpan) ? (source as CapturedTrace).root : (source as CapturedSpan)];
  const lines: string[] = [];
  const walk = (span: CapturedSpan, depth: number): void => {
    const model = span.model ? ` ${span.model}` : "";
    const error = span.error !== undefined ? " !error" : "";
    lines.push(`${"  ".repeat(depth)}${span.kind} ${span.name}${model}${error}`);
    for (const child of span.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines.join("\n");
}
