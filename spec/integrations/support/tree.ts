import type { StoredSpan } from "../../../lib/dev/index.js";

/** A received span with its children, in start order: the trace as the viewer draws it. */
export interface Node {
  span: StoredSpan;
  children: Node[];
}

/** The trees rooted at spans whose parent was not received. */
export function trees(spans: StoredSpan[]): Node[] {
  const nodes = new Map(spans.map((span) => [span.spanId, { span, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** `name (kind)` lines, indented by depth: compact to compare a whole tree at once. */
export function outline(spans: StoredSpan[]): string[] {
  const lines: string[] = [];
  const walk = (node: Node, depth: number) => {
    lines.push(`${"  ".repeat(depth)}${node.span.name} (${node.span.spanType})`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of trees(spans)) walk(root, 0);
  return lines;
}
