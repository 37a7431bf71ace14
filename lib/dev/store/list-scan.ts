import { cursorOf, encodeCursor, type SearchCandidate, type SpanCursor, type TraceCursor, type TraceStore } from "./trace-store.js";
import type { SteppedRead } from "./stepped-read.js";
import type { TracePage, TraceQuery, TraceSummary } from "./query-types.js";

/** Rows one step of a read takes at most: a step reads one page of an index range, whatever the page asked for. */
export const ROWS_PER_STEP = 100;
/** Traces a search step takes as candidates (narrow rows: their position, row number and size). */
const CANDIDATES_PER_STEP = 500;
/** Spans whose text one step of a search reads at most (a larger trace is searched a page of spans at a time). */
const TEXT_SPANS_PER_STEP = 5000;
/**
 * Steps one request takes at most. A page whose conditions match few traces (or none) stops there, short, with the
 * position it reached as its `nextCursor`; the next request goes on from it.
 */
export const STEPS_PER_REQUEST = 200;

/**
 * A page of the trace list (`limit` summaries after `after`, newest first) read in bounded steps: index windows of the
 * list (see {@link TraceStore.traceWindow}); for a text search, narrow rows of the window's traces, their spans a few
 * thousand at a time, then the summaries of those that hold the text. Reads one match past the page to know whether there is a next one. A page cut short by
 * {@link STEPS_PER_REQUEST} has fewer than `limit` traces and a `nextCursor` where the scan stopped.
 */
export function* scanTracePage(
  store: TraceStore,
  query: TraceQuery,
  limit: number,
  after: TraceCursor | undefined,
): SteppedRead<TracePage> {
  const found: TraceSummary[] = [];
  let position = after;
  let steps = 0;
  const page = (next: TraceCursor | null): TracePage => ({ traces: found.slice(0, limit), nextCursor: next && encodeCursor(next) });
  while (steps < STEPS_PER_REQUEST) {
    let matches: TraceSummary[];
    let end: TraceCursor | null;
    const text = query.text;
    if (text === undefined) {
      const window = store.traceWindow(query, Math.min(limit + 1 - found.length, ROWS_PER_STEP), position);
      // Tags a step's matches at a time: one query over thousands of traces would be a long step of its own.
      matches = store.withTags(window.rows);
      end = window.end;
    } else {
      // A search reads narrow rows of its candidates, their spans' text, then the summaries of those that hold it.
      const window = store.searchWindow(query, CANDIDATES_PER_STEP, position);
      steps += 1;
      yield;
      const hits = (yield* withText(store, window.rows, text, () => (steps += 1))).slice(0, limit + 1 - found.length);
      matches = [];
      for (let i = 0; i < hits.length; i += ROWS_PER_STEP) {
        if (i > 0) yield;
        matches.push(...store.summariesOf(hits.slice(i, i + ROWS_PER_STEP)));
      }
      end = window.end;
    }
    steps += 1;
    yield;
    for (const summary of matches) {
      found.push(summary);
      if (found.length > limit) return page(cursorOf(found[limit - 1]));
    }
    if (end === null) return page(null);
    position = end;
  }
  // Out of steps: no match between the last one found and `position`, where the next request goes on.
  return page(position ?? null);
}

/** The row numbers of the traces of `candidates` with `text` in a span; reads their spans in steps of at most {@link TEXT_SPANS_PER_STEP}. */
function* withText(store: TraceStore, candidates: SearchCandidate[], text: string, onStep: () => void): SteppedRead<number[]> {
  const hits = new Set<number>();
  let batch: number[] = [];
  let batchSpans = 0;
  const flush = function* (): SteppedRead<void> {
    if (batch.length === 0) return;
    for (const tid of store.tracesWithText(batch, text)) hits.add(tid);
    batch = [];
    batchSpans = 0;
    onStep();
    yield;
  };
  for (const { spanCount, tid } of candidates) {
    if (spanCount > TEXT_SPANS_PER_STEP) {
      for (let cursor: SpanCursor | undefined, first = true; first || cursor; first = false) {
        const page = store.textInTrace(tid, text, cursor, TEXT_SPANS_PER_STEP);
        onStep();
        yield;
        if (page.found) {
          hits.add(tid);
          break;
        }
        cursor = page.next;
      }
      continue;
    }
    if (batchSpans + spanCount > TEXT_SPANS_PER_STEP) yield* flush();
    batch.push(tid);
    batchSpans += spanCount;
  }
  yield* flush();
  return candidates.filter((c) => hits.has(c.tid)).map((c) => c.tid);
}
