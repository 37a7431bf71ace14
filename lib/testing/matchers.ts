import { findSpan, outline, type SpanQuery, type SpanSource } from "./query.js";

/** What a custom matcher returns to jest's and vitest's `expect.extend`. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * Typings of the matchers, to merge into your test framework's, e.g. for vitest:
 * `declare module "vitest" { interface Assertion<T = any> extends JudgevalMatchers<T> {} }`, for jest:
 * `declare global { namespace jest { interface Matchers<R> extends JudgevalMatchers<R> {} } }`.
 */
export interface JudgevalMatchers<R = unknown> {
  /** The traces (or trace, or span subtree) contain a span matching `query`. */
  toHaveSpan(query: SpanQuery): R;
}

function isSource(value: unknown): value is SpanSource {
  return Array.isArray(value) || (typeof value === "object" && value !== null && ("root" in value || "children" in value));
}

/** Matchers for `expect.extend(judgevalMatchers)`, in jest and in vitest alike. */
export const judgevalMatchers = {
  toHaveSpan(received: unknown, query: SpanQuery): MatcherResult {
    if (!isSource(received)) {
      return { pass: false, message: () => "toHaveSpan: expected captured traces, a trace or a span (from captureTraces)" };
    }
    const found = findSpan(received, query);
    const wanted = JSON.stringify(query, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v));
    return found
      ? { pass: true, message: () => `expected no span matching ${wanted}, found "${found.name}" in:\n${outline(received)}` }
      : { pass: false, message: () => `expected a span matching ${wanted} in:\n${outline(received) || "(no spans)"}` };
  },
};
