import { linkedTraces } from "./links.js";
import type { SpanStore } from "./span-store.js";
import { compareNewestFirst, summarizeTrace } from "./summaries.js";
import type { SpanFilter, StoredSpan, TraceDetail, TraceSummary } from "../types.js";

/** The read side over a span store, shared by the in-process API and the HTTP query API. */
export class TraceQueries {
  constructor(private readonly store: SpanStore) {}

  spans(filter: SpanFilter = {}): StoredSpan[] {
    return this.store.spans(normalize(filter));
  }

  traces(filter: SpanFilter = {}): TraceSummary[] {
    return this.store
      .traceGroups(normalize(filter))
      .map((spans) => summarizeTrace(spans, this.store.tags(spans[0].traceId)))
      .sort(compareNewestFirst);
  }

  trace(traceId: string, offline?: boolean): StoredSpan[] {
    return this.store.spans({ traceId: traceId.toLowerCase(), offline });
  }

  tags(traceId: string): string[] {
    return this.store.tags(traceId.toLowerCase());
  }

  /** The trace with summaries, tags and links; undefined when no span of it is stored. */
  detail(traceId: string, offline?: boolean): TraceDetail | undefined {
    const id = traceId.toLowerCase();
    const groups = this.store.traceGroups({ traceId: id, offline });
    if (groups.length === 0) return undefined;
    const tags = this.store.tags(id);
    return {
      traceId: id,
      summaries: groups.map((spans) => summarizeTrace(spans, tags)),
      spans: groups.flat(),
      tags,
      links: linkedTraces(id, this.store.allSpans(), (other) => this.store.hasTrace(other)),
    };
  }
}

function normalize(filter: SpanFilter): SpanFilter {
  return filter.traceId === undefined ? filter : { ...filter, traceId: filter.traceId.toLowerCase() };
}
