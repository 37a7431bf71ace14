import type { Scorer } from "./types.js";

/** Text of a value for comparing: strings as they are, anything else as JSON. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/** 1 when the output equals the expected output (strings as they are, other values as JSON), else 0. */
export function exactMatch(): Scorer {
  return { name: "exact_match", score: ({ output, expected }) => text(output) === text(expected) };
}

/**
 * 1 when the output (as text) contains `needle`, or the expected output when no needle is given.
 * `ignoreCase` compares case-insensitively.
 */
export function contains(needle?: string, options: { ignoreCase?: boolean } = {}): Scorer {
  const fold = (s: string): string => (options.ignoreCase ? s.toLowerCase() : s);
  return {
    name: needle === undefined ? "contains" : `contains(${needle})`,
    score: ({ output, expected }) => {
      const wanted = needle ?? expected;
      if (wanted === undefined || wanted === null) throw new Error("no needle given and the item has no expected_output");
      return fold(text(output)).includes(fold(text(wanted)));
    },
  };
}

/** 1 when the output is valid JSON text (or an object or array, which is JSON already), else 0. */
export function jsonValid(): Scorer {
  return {
    name: "json_valid",
    score: ({ output }) => {
      if (typeof output !== "string") return typeof output === "object" && output !== null;
      try {
        JSON.parse(output);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function numberOf(value: unknown, what: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`${what} is not a number: ${text(value).slice(0, 80)}`);
  return n;
}

/**
 * 1 when the output is within `tolerance` of the expected output, both read as numbers (numeric
 * strings too), else 0. `relative: true` makes the tolerance a fraction of the expected value.
 */
export function numericTolerance(tolerance: number, options: { relative?: boolean } = {}): Scorer {
  if (typeof tolerance !== "number" || !(tolerance >= 0)) throw new TypeError("numericTolerance: tolerance must be a number ≥ 0");
  return {
    name: "numeric_tolerance",
    score: ({ output, expected }) => {
      const actual = numberOf(output, "output");
      const wanted = numberOf(expected, "expected_output");
      const bound = options.relative ? tolerance * Math.abs(wanted) : tolerance;
      return Math.abs(actual - wanted) <= bound;
    },
  };
}
