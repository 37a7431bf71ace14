import type { SpanOutline } from "./api.js";
import { compareNs } from "./time.js";

/** A row of the span tree: a span, or a run of stream items under one parent folded into one row. */
export type TreeRow =
  | { kind: "span"; span: SpanOutline; depth: number; childCount: number }
  | { kind: "stream"; parentId: string; items: SpanOutline[]; depth: number; key: string };

/** Span kind of streamed chunks; consecutive siblings of this kind fold into one row. */
const STREAM_KIND = "generator_item";

/** The spans of a trace as a tree: children by parent, in start order; roots are spans whose parent is not stored. */
export class SpanTree {
  readonly byId = new Map<string, SpanOutline>();
  readonly children = new Map<string, SpanOutline[]>();
  readonly roots: SpanOutline[] = [];

  constructor(spans: readonly SpanOutline[]) {
    for (const s of spans) this.byId.set(s.spanId, s);
    for (const s of spans) {
      if (s.parentSpanId !== null && this.byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
        let list = this.children.get(s.parentSpanId);
        if (!list) this.children.set(s.parentSpanId, (list = []));
        list.push(s);
      } else {
        this.roots.push(s);
      }
    }
    const byStart = (a: SpanOutline, b: SpanOutline): number => compareNs(a.startTimeUnixNano, b.startTimeUnixNano);
    this.roots.sort(byStart);
    for (const list of this.children.values()) list.sort(byStart);
  }

  /**
   * The visible rows, depth first, skipping the children of collapsed spans and
   * of folded stream groups. Iterative: a chain thousands deep costs no stack.
   */
  rows(collapsed: ReadonlySet<string>, openStreams: ReadonlySet<string>): TreeRow[] {
    const out: TreeRow[] = [];
    const seen = new Set<string>();
    const stack: { spans: SpanOutline[]; index: number; depth: number; parentId: string }[] = [
      { spans: this.roots, index: 0, depth: 0, parentId: "" },
    ];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.index >= frame.spans.length) {
        stack.pop();
        continue;
      }
      const span = frame.spans[frame.index];
      if (span.spanType === STREAM_KIND) {
        let end = frame.index;
        while (end < frame.spans.length && frame.spans[end].spanType === STREAM_KIND) end++;
        const items = frame.spans.slice(frame.index, end);
        frame.index = end;
        if (items.length > 1) {
          const key = `${frame.parentId}:${items[0].spanId}`;
          out.push({ kind: "stream", parentId: frame.parentId, items, depth: frame.depth, key });
          if (openStreams.has(key)) for (const item of items) out.push({ kind: "span", span: item, depth: frame.depth + 1, childCount: 0 });
          continue;
        }
        frame.index -= items.length;
      }
      frame.index += 1;
      if (seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      const kids = this.children.get(span.spanId) ?? [];
      out.push({ kind: "span", span, depth: frame.depth, childCount: kids.length });
      if (kids.length > 0 && !collapsed.has(span.spanId))
        stack.push({ spans: kids, index: 0, depth: frame.depth + 1, parentId: span.spanId });
    }
    return out;
  }
}
