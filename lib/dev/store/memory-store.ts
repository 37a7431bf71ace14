import { compareNanos } from "./nanos.js";
import type { ProjectRecord } from "./projects.js";
import { compareNewestFirst, isAfter, matchesQuery, summarizeTrace } from "./summaries.js";
import type { ExperimentTrace, SessionTrace, StoreStats, TraceCursor, TraceStore } from "./trace-store.js";
import { spanOutline } from "./span-facts.js";
import type { SpanFilter, SpanOutline, StoredSpan, TraceQuery, TraceSummary } from "../types.js";

/** Spans the memory-only store holds before dropping the oldest traces. */
const DEFAULT_MEMORY_SPANS = 100_000;

const traceKey = (offline: boolean, traceId: string): string => `${offline ? "o" : "l"}:${traceId}`;

/**
 * The store of last resort, for a runtime without any SQLite engine: spans in
 * JavaScript maps, at most `maxSpans` of them (the oldest traces go first),
 * queried by scanning. Nothing survives the process.
 */
export class MemoryStore implements TraceStore {
  readonly mode = "memory" as const;
  private readonly traceMap = new Map<string, Map<string, StoredSpan>>();
  private readonly tagMap = new Map<string, Set<string>>();
  private readonly projectList = new Map<string, string>();
  private size = 0;
  private prunedTraces = 0;

  constructor(private readonly maxSpans = DEFAULT_MEMORY_SPANS) {}

  put(spans: readonly StoredSpan[]): number {
    let stored = 0;
    for (const span of spans) {
      const key = traceKey(span.offline, span.traceId);
      let trace = this.traceMap.get(key);
      const existing = trace?.get(span.spanId);
      if (existing && existing.updateId > span.updateId) continue;
      if (!trace) this.traceMap.set(key, (trace = new Map<string, StoredSpan>()));
      if (!existing) this.size += 1;
      trace.set(span.spanId, span);
      stored += 1;
    }
    this.evict();
    return stored;
  }

  putGroup(requests: readonly (readonly StoredSpan[])[]): number[] {
    return requests.map((spans) => this.put(spans));
  }

  addTags(traceId: string, tags: readonly string[]): string[] {
    const set = this.tagMap.get(traceId) ?? new Set<string>();
    for (const tag of tags) set.add(tag);
    this.tagMap.set(traceId, set);
    return [...set];
  }

  tags(traceId: string): string[] {
    return [...(this.tagMap.get(traceId) ?? [])];
  }

  spans(filter: SpanFilter): StoredSpan[] {
    const out: StoredSpan[] = [];
    for (const trace of this.traceMap.values()) {
      for (const span of trace.values()) {
        if (filter.traceId !== undefined && span.traceId !== filter.traceId) break;
        if (filter.offline !== undefined && span.offline !== filter.offline) break;
        if (filter.projectId === undefined || span.projectId === filter.projectId) out.push(span);
      }
    }
    return out.sort(byStart);
  }

  outline(traceId: string, offline: boolean | undefined, limit: number): SpanOutline[] {
    return this.spans({ traceId, offline }).slice(0, limit).map(spanOutline);
  }

  traces(query: TraceQuery, limit: number, after: TraceCursor | undefined): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const trace of this.traceMap.values()) {
      const spans = [...trace.values()].sort(byStart);
      const summary = summarizeTrace(spans, this.tags(spans[0].traceId));
      if ((!after || isAfter(summary, after)) && matchesQuery(summary, spans, query)) out.push(summary);
    }
    return out.sort(compareNewestFirst).slice(0, limit);
  }

  sessionTraces(query: TraceQuery, limit: number): SessionTrace[] {
    return this.traces({ ...query, hasSession: true }, limit, undefined);
  }

  experimentTraces(query: TraceQuery, limit: number): ExperimentTrace[] {
    return this.traces({ ...query, offline: true }, limit, undefined);
  }

  linkSpans(traceId: string): StoredSpan[] {
    return this.spans({}).filter((s) => s.traceId === traceId || JSON.stringify(s.attributes).includes(traceId));
  }

  hasTrace(traceId: string): boolean {
    return this.traceMap.has(traceKey(false, traceId)) || this.traceMap.has(traceKey(true, traceId));
  }

  projects(): ProjectRecord[] {
    return [...this.projectList].map(([name, id]) => ({ name, id }));
  }

  addProject(project: ProjectRecord): void {
    this.projectList.set(project.name, project.id);
  }

  stats(): StoreStats {
    return { corruptRows: 0, prunedTraces: this.prunedTraces };
  }

  close(): void {}

  /** Drops the traces that started first until the span count is within the cap. */
  private evict(): void {
    if (this.size <= this.maxSpans) return;
    const byAge = [...this.traceMap].map(([key, trace]) => {
      let start: string | undefined;
      for (const s of trace.values()) if (start === undefined || compareNanos(s.startTimeUnixNano, start) < 0) start = s.startTimeUnixNano;
      return { key, trace, start: start! };
    });
    byAge.sort((a, b) => compareNanos(a.start, b.start));
    for (const { key, trace } of byAge) {
      if (this.size <= this.maxSpans * 0.9) break;
      this.traceMap.delete(key);
      this.size -= trace.size;
      this.prunedTraces += 1;
    }
  }
}

function byStart(a: StoredSpan, b: StoredSpan): number {
  return compareNanos(a.startTimeUnixNano, b.startTimeUnixNano);
}
