import type { Attributes, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace";
import { log } from "../diag/log.js";
import { snapshot } from "./snapshot.js";

/** What the last partial copy of an open span showed, to tell whether it changed since. */
interface LastCopy {
  /** Partial copies sent so far; the final copy carries this as its `update_id`. */
  count: number;
  name: string;
  attributes: Attributes;
  events: number;
  links: number;
  statusCode: SpanStatusCode;
  statusMessage: string | undefined;
}

/** At most one overflow warning per this many ms. */
const OVERFLOW_REPORT_INTERVAL = 10000;

function unchanged(span: ReadableSpan, last: LastCopy): boolean {
  if (span.name !== last.name || span.events.length !== last.events || span.links.length !== last.links) return false;
  if (span.status.code !== last.statusCode || span.status.message !== last.statusMessage) return false;
  const now = span.attributes;
  let keys = 0;
  for (const key in now) {
    if (now[key] !== last.attributes[key]) return false;
    keys++;
  }
  return keys === Object.keys(last.attributes).length;
}

/**
 * The spans started and not yet ended, for partial emits: an export carries a copy of an open span
 * the first time, then again only when it changed since its last copy. At most `maxOpen` are
 * kept; spans started beyond that are counted and reported, and still exported when they end.
 * Kept here, not marked on the SDK's span objects, whose shape stays as is.
 */
export class OpenSpans {
  private readonly open = new Set<Span>();
  /** The last copy of each open span that had one. */
  private readonly emitted = new Map<Span, LastCopy>();
  /** Open spans no export has shown yet: they alone are worth a timer tick. */
  private unseenCount = 0;
  /** Spans left untracked (over `maxOpen`) since the last report. */
  private overflow = 0;
  private lastReport = 0;

  constructor(
    private readonly partialEmits: boolean,
    private readonly maxOpen: number,
  ) {}

  add(span: Span): void {
    if (this.open.size >= this.maxOpen) {
      this.overflow++;
      return;
    }
    this.open.add(span);
    if (this.partialEmits) this.unseenCount++;
  }

  /** Forgets an ended span; returns its `update_id` (the number of partial copies sent before). */
  end(span: ReadableSpan): number {
    const wasOpen = this.open.delete(span as Span);
    const last = this.emitted.size === 0 ? undefined : this.emitted.get(span as Span);
    if (last !== undefined) this.emitted.delete(span as Span);
    else if (wasOpen && this.partialEmits) this.unseenCount--;
    return last?.count ?? 0;
  }

  has(span: unknown): boolean {
    return this.open.has(span as Span);
  }

  /** Open spans that no export has shown yet. */
  get unseen(): number {
    return this.unseenCount;
  }

  /**
   * The partial emits of one export: a snapshot of each open span never sent or changed since its
   * last copy (none when partial emits are off).
   */
  snapshots(): ReadableSpan[] {
    this.reportOverflow();
    if (!this.partialEmits) return [];
    const copies: ReadableSpan[] = [];
    for (const span of this.open) {
      const last = this.emitted.get(span);
      if (last !== undefined && unchanged(span, last)) continue;
      if (last === undefined) this.unseenCount--;
      const count = last?.count ?? 0;
      this.emitted.set(span, {
        count: count + 1,
        name: span.name,
        attributes: { ...span.attributes },
        events: span.events.length,
        links: span.links.length,
        statusCode: span.status.code,
        statusMessage: span.status.message,
      });
      copies.push(snapshot(span, count));
    }
    return copies;
  }

  private reportOverflow(): void {
    const now = Date.now();
    if (this.overflow === 0 || now - this.lastReport < OVERFLOW_REPORT_INTERVAL) return;
    log.warn(
      `${this.overflow} open spans were not kept for partial emits: more than maxOpenSpans ${this.maxOpen} were open at once. They are still exported when they end.`,
    );
    this.overflow = 0;
    this.lastReport = now;
  }
}
