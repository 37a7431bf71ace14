/**
 * Defensive readers for provider payloads: responses arrive as untyped JSON (and the SDK types
 * differ between majors), so every field is checked before use and a missing one is `undefined`.
 */

/** A plain record view of `value`, or undefined when it is not an object. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

/** `value[key]` when `value` is an object. */
export function field(value: unknown, key: string): unknown {
  return record(value)?.[key];
}

/** A finite number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A non-empty string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

const NONE: readonly unknown[] = Object.freeze([]);

/** An array, else an empty one (shared: read-only). */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : NONE;
}

/** Resolves a property path from `root`, or undefined when a step is missing. */
export function at(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = field(node, key);
  return node;
}

/** True when `root` has a function at `path`. */
export function hasMethod(root: unknown, path: readonly string[]): boolean {
  return typeof at(root, path) === "function";
}
