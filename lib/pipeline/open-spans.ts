import type { Attributes, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "../otel/sdk.js";
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

/** An open span an export has seen (or that waited long), and what its last partial copy showed. */
interface OpenSpan {
  span: Span;
  last: LastCopy | undefined;
}

/** Open spans kept in {@link OpenSpans}' start-order list at most; older ones move to its map. */
const MAX_RECENT = 64;

/**
 * The spans started and not yet ended, for partial emits: an export carries a copy of an open span
 * the first time, then again only when it changed since its last copy. At most `maxOpen` are
 * kept; spans started beyond that are counted and reported, and still exported when they end.
 * Kept here, not marked on the SDK's span objects, whose shape stays as is.
 *
 * Most spans end before any export sees them, and the one ending is usually among the newest: a
 * new span goes into a short list in start order, looked through from its end, and only spans
 * an export sees (or that outlive {@link MAX_RECENT} newer ones) go into a map by span id. A map
 * that takes and drops an entry per span rebuilds its table every few spans, which cost about a
 * tenth of a traced call.
 */
export class OpenSpans {
  /** Open spans no export has seen yet, in start order (at most {@link MAX_RECENT}). */
  private readonly recent: Span[] = [];
  private readonly byId = new Map<string, OpenSpan>();
  /** Open spans whose id an open span in `byId` already holds (repeated by a custom id generator). */
  private readonly clashes = new Map<Span, OpenSpan>();
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
    if (this.recent.length + this.byId.size + this.clashes.size >= this.maxOpen) {
      this.overflow++;
      return;
    }
    if (this.recent.length >= MAX_RECENT) this.keep(this.recent.splice(0, MAX_RECENT / 2));
    this.recent.push(span);
    if (this.partialEmits) this.unseenCount++;
  }

  /** Forgets an ended span; returns its `update_id` (the number of partial copies sent before). */
  end(span: ReadableSpan): number {
    const i = this.recent.lastIndexOf(span as Span);
    if (i >= 0) {
      if (i === this.recent.length - 1) this.recent.pop();
      else this.recent.splice(i, 1);
      if (this.partialEmits) this.unseenCount--;
      return 0;
    }
    const id = span.spanContext().spanId;
    const entry = this.kept(span, id);
    if (entry === undefined) return 0;
    if (this.byId.get(id) === entry) this.byId.delete(id);
    else this.clashes.delete(span as Span);
    if (entry.last !== undefined) return entry.last.count;
    if (this.partialEmits) this.unseenCount--;
    return 0;
  }

  /** Whether `span` (any value: it comes from a context) is open here. */
  has(span: unknown): boolean {
    if (this.recent.includes(span as Span)) return true;
    if (this.byId.size === 0 && this.clashes.size === 0) return false;
    try {
      return this.kept(span as ReadableSpan) !== undefined;
    } catch {
      // not a span: its spanContext() is missing or throws
      return false;
    }
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
    this.keep(this.recent.splice(0));
    const copies: ReadableSpan[] = [];
    for (const entries of [this.byId.values(), this.clashes.values()]) {
      for (const entry of entries) {
        const { span, last } = entry;
        if (last !== undefined && unchanged(span, last)) continue;
        if (last === undefined) this.unseenCount--;
        const count = last?.count ?? 0;
        entry.last = {
          count: count + 1,
          name: span.name,
          attributes: { ...span.attributes },
          events: span.events.length,
          links: span.links.length,
          statusCode: span.status.code,
          statusMessage: span.status.message,
        };
        copies.push(snapshot(span, count));
      }
    }
    return copies;
  }

  /** Moves `spans` (out of the recent list) into the map. */
  private keep(spans: readonly Span[]): void {
    for (const span of spans) {
      const entry: OpenSpan = { span, last: undefined };
      const id = span.spanContext().spanId;
      if (this.byId.has(id)) this.clashes.set(span, entry);
      else this.byId.set(id, entry);
    }
  }

  /** The map's entry of `span` (whose span id is `id`), if it is there. */
  private kept(span: ReadableSpan, id = span.spanContext().spanId): OpenSpan | undefined {
    const entry = this.byId.get(id);
    if (entry !== undefined && entry.span === span) return entry;
    return this.clashes.size === 0 ? undefined : this.clashes.get(span as Span);
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
