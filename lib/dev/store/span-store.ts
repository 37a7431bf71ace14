import { compareNanos, spanMs } from "./nanos.js";
import type { DecodedSpan } from "../otlp/otlp-decode.js";
import type { SpanFilter, StoredSpan } from "../types.js";

/** Receives every change the store accepts, e.g. to persist it. */
export interface StoreSink {
  /** The spans of one `put` that replaced or added a stored copy. */
  spansStored(spans: StoredSpan[]): void;
  tagsChanged(traceId: string, tags: string[]): void;
}

const UPDATE_ID = "judgment.update_id";

function spanKey(offline: boolean, traceId: string, spanId: string): string {
  return `${offline ? "o" : "l"}:${traceId}:${spanId}`;
}

/** Key of a trace within one side (live or offline). */
function traceKey(offline: boolean, traceId: string): string {
  return `${offline ? "o" : "l"}:${traceId}`;
}

function updateIdOf(span: DecodedSpan): number {
  const value = span.attributes[UPDATE_ID];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Builds the stored form of a decoded span. */
export function toStoredSpan(span: DecodedSpan, offline: boolean, projectId: string, receivedAt: number): StoredSpan {
  const spanType = span.attributes["judgment.span_kind"];
  return {
    ...span,
    spanType: typeof spanType === "string" ? spanType : "span",
    durationMs: spanMs(span.startTimeUnixNano, span.endTimeUnixNano),
    ended: span.endTimeUnixNano !== "0",
    updateId: updateIdOf(span),
    offline,
    projectId,
    receivedAt,
  };
}

/**
 * In-memory span store that folds partial emits: for each `(offline, traceId,
 * spanId)` only the copy with the highest `judgment.update_id` is kept (ties go
 * to the later arrival, so a resent copy is idempotent). Also holds the tags of
 * each trace. Listeners hear about every accepted change.
 */
export class SpanStore {
  private readonly spansByKey = new Map<string, StoredSpan>();
  private readonly spansByTrace = new Map<string, Map<string, StoredSpan>>();
  private readonly tagsByTrace = new Map<string, Set<string>>();
  private readonly listeners = new Set<() => void>();
  private sink: StoreSink | undefined;

  /** Routes later changes to `sink` as well (persistence). */
  setSink(sink: StoreSink | undefined): void {
    this.sink = sink;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores each span unless a copy with a higher update id is already kept, then
   * notifies listeners once for the batch. Returns how many were stored.
   */
  put(spans: readonly StoredSpan[]): number {
    const stored = spans.filter((span) => this.fold(span));
    if (stored.length > 0) {
      this.sink?.spansStored(stored);
      this.notify();
    }
    return stored.length;
  }

  /** Loads spans and tags without notifying the sink (they came from it). */
  load(spans: Iterable<StoredSpan>, tags: Iterable<[string, string[]]>): void {
    for (const span of spans) this.fold(span);
    for (const [traceId, list] of tags) this.tagsByTrace.set(traceId, new Set(list));
    this.notify();
  }

  /** Adds tags to a trace (union, first-seen order); returns the trace's tags. */
  addTags(traceId: string, tags: readonly string[]): string[] {
    const set = this.tagsByTrace.get(traceId) ?? new Set<string>();
    const before = set.size;
    for (const tag of tags) set.add(tag);
    this.tagsByTrace.set(traceId, set);
    const all = [...set];
    if (set.size !== before) {
      this.sink?.tagsChanged(traceId, all);
      this.notify();
    }
    return all;
  }

  /** Tags of a trace, in the order they were first added. */
  tags(traceId: string): string[] {
    return [...(this.tagsByTrace.get(traceId) ?? [])];
  }

  /** Spans matching `filter`, in start-time order. */
  spans(filter: SpanFilter = {}): StoredSpan[] {
    const source: Iterable<StoredSpan> =
      filter.traceId === undefined
        ? this.spansByKey.values()
        : [...this.candidateTraces(filter)].flatMap((trace) => [...trace.values()]);
    const out: StoredSpan[] = [];
    for (const span of source) {
      if (filter.offline !== undefined && span.offline !== filter.offline) continue;
      if (filter.projectId !== undefined && span.projectId !== filter.projectId) continue;
      out.push(span);
    }
    return out.sort(byStart);
  }

  /** Spans grouped per trace (live and offline traces apart), matching `filter`. */
  traceGroups(filter: SpanFilter = {}): StoredSpan[][] {
    const groups: StoredSpan[][] = [];
    for (const spans of this.candidateTraces(filter)) {
      const first = spans.values().next().value as StoredSpan;
      if (filter.offline !== undefined && first.offline !== filter.offline) continue;
      const list = [...spans.values()];
      if (filter.projectId !== undefined && !list.some((s) => s.projectId === filter.projectId)) continue;
      groups.push(list.sort(byStart));
    }
    return groups;
  }

  /** Every stored span, unordered. */
  allSpans(): IterableIterator<StoredSpan> {
    return this.spansByKey.values();
  }

  /** True when any span of the trace is stored, live or offline. */
  hasTrace(traceId: string): boolean {
    return this.spansByTrace.has(traceKey(false, traceId)) || this.spansByTrace.has(traceKey(true, traceId));
  }

  /** Number of stored spans (after folding). */
  get size(): number {
    return this.spansByKey.size;
  }

  private candidateTraces(filter: SpanFilter): Iterable<Map<string, StoredSpan>> {
    if (filter.traceId === undefined) return this.spansByTrace.values();
    const sides = filter.offline === undefined ? [false, true] : [filter.offline];
    return sides.flatMap((o) => this.spansByTrace.get(traceKey(o, filter.traceId!)) ?? []);
  }

  private fold(span: StoredSpan): boolean {
    const key = spanKey(span.offline, span.traceId, span.spanId);
    const existing = this.spansByKey.get(key);
    if (existing && existing.updateId > span.updateId) return false;
    this.spansByKey.set(key, span);
    const tKey = traceKey(span.offline, span.traceId);
    let trace = this.spansByTrace.get(tKey);
    if (!trace) this.spansByTrace.set(tKey, (trace = new Map<string, StoredSpan>()));
    trace.set(span.spanId, span);
    return true;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function byStart(a: StoredSpan, b: StoredSpan): number {
  return compareNanos(a.startTimeUnixNano, b.startTimeUnixNano);
}
