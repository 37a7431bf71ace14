import type { Attributes } from "@opentelemetry/api";

/** Wrapper keys OpenInference puts around each list element (`llm.input_messages.0.message.role`). */
const WRAPPERS = new Set(["message", "message_content", "tool_call", "document"]);

/** Most elements read back from one flattened list: indices come from outside and are not trusted. */
const MAX_INDEX = 10_000;

type Node = Record<string, unknown> | unknown[];

/**
 * The list flattened under `prefix` (`llm.input_messages.`) read back into plain objects, each
 * element's wrapper key dropped (`[{ role, content, tool_calls: [{ function: { name } }] }]`), or
 * undefined when no key has the prefix. Holes left by missing indices are removed.
 */
export function unflatten(attributes: Attributes, prefix: string): unknown[] | undefined {
  let root: unknown[] | undefined;
  for (const key in attributes) {
    if (!key.startsWith(prefix)) continue;
    const path = key.slice(prefix.length).split(".");
    root ??= [];
    place(root, path, attributes[key]);
  }
  return root && (tidy(root) as unknown[]);
}

function isIndex(segment: string): boolean {
  return /^\d{1,5}$/.test(segment) && Number(segment) <= MAX_INDEX;
}

function place(root: unknown[], path: string[], value: unknown): void {
  if (!isIndex(path[0])) return;
  let node: Node = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    const key: string | number = Array.isArray(node) ? (isIndex(segment) ? Number(segment) : -1) : segment;
    if (key === -1 || key === "__proto__") return;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    let next = container[key];
    if (next === null || typeof next !== "object") {
      next = isIndex(path[i + 1]) ? [] : {};
      container[key] = next;
    }
    node = next as Node;
  }
}

/** Drops holes and each element's single wrapper key, all the way down. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((item) => item !== undefined).map((item) => tidy(unwrap(item)));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = tidy(value);
  return out;
}

function unwrap(item: unknown): unknown {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
  const keys = Object.keys(item);
  return keys.length === 1 && WRAPPERS.has(keys[0]) ? (item as Record<string, unknown>)[keys[0]] : item;
}
