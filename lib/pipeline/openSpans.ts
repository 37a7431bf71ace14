import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace";
import { snapshot } from "./snapshot.js";

/**
 * The spans started and not yet ended, and how many partial copies of each went out. Kept here,
 * not marked on the SDK's span objects, whose shape stays as is.
 */
export class OpenSpans {
  private readonly open = new Set<Span>();
  /** Partial emits made so far of the (few) open spans that had any; the final copy carries the next number. */
  private readonly emitted = new Map<Span, number>();
  /** Open spans no export has shown yet: they alone are worth a timer tick. */
  private unseenCount = 0;

  constructor(private readonly partialEmits: boolean) {}

  add(span: Span): void {
    this.open.add(span);
    if (this.partialEmits) this.unseenCount++;
  }

  /** Forgets an ended span; returns its `update_id` (the number of partial copies sent before). */
  end(span: ReadableSpan): number {
    const wasOpen = this.open.delete(span as Span);
    const emitted = this.emitted.size === 0 ? 0 : (this.emitted.get(span as Span) ?? 0);
    if (emitted > 0) this.emitted.delete(span as Span);
    else if (wasOpen && this.partialEmits) this.unseenCount--;
    return emitted;
  }

  has(span: unknown): boolean {
    return this.open.has(span as Span);
  }

  /** Open spans that no export has shown yet. */
  get unseen(): number {
    return this.unseenCount;
  }

  /** A snapshot of every open span: the partial emits of one export (none when partial emits are off). */
  snapshots(): ReadableSpan[] {
    if (!this.partialEmits) return [];
    const copies: ReadableSpan[] = [];
    for (const span of this.open) {
      const emitted = this.emitted.get(span) ?? 0;
      if (emitted === 0) this.unseenCount--;
      this.emitted.set(span, emitted + 1);
      copies.push(snapshot(span, emitted));
    }
    return copies;
  }
}
