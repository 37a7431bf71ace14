import { parseScores } from "../../wire/scores.js";
import { linkedTraces } from "./links.js";
import { compareNanos } from "./nanos.js";
import { ROWS_PER_STEP, scanTracePage, STEPS_PER_REQUEST } from "./list-scan.js";
import { runSteps, type SteppedRead } from "./stepped-read.js";
import { tracePage, type ExperimentTrace, type ListWindow, type SpanCursor, type TraceCursor, type TraceStore } from "./trace-store.js";
import type {
  ExperimentRun,
  SessionSummary,
  SpanFilter,
  SpanOutline,
  TraceDetail,
  TracePage,
  TraceQuery,
  TraceSummary,
} from "./query-types.js";
import type { StoredSpan } from "./span-types.js";

/** Traces read to build the sessions and experiments views (the newest ones). */
const GROUPING_WINDOW = 5000;
/** Session rows are a few columns held in their index: a step reads more of them than of whole summaries. */
const SESSION_ROWS_PER_STEP = 1000;
/** Span outlines one step of a trace page reads. */
const OUTLINES_PER_STEP = 1000;
/** Offline traces of one project further apart than this start a new run when no run name is set. */
const RUN_GAP_MS = 10 * 60 * 1000;

const nsToMs = (ns: string): number => Number(BigInt(ns) / 1_000_000n);

/** The read side over a trace store, shared by the in-process API and the HTTP query API. */
export class TraceQueries {
  constructor(private readonly store: TraceStore) {}

  spans(filter: SpanFilter = {}): StoredSpan[] {
    return this.store.spans(normalize(filter));
  }

  /** Every matching summary, newest first (the in-process API; the HTTP API pages). */
  traces(filter: TraceQuery = {}): TraceSummary[] {
    return this.store.traces(normalize(filter), Number.MAX_SAFE_INTEGER, undefined);
  }

  /** How many traces there are of a project and side (kept as traces come and go: nothing is read). */
  count(filter: Pick<TraceQuery, "offline" | "projectId"> = {}): number {
    return this.store.countTraces(filter);
  }

  page(query: TraceQuery, limit: number, after: TraceCursor | undefined): TracePage {
    return tracePage(this.store, normalize(query), limit, after);
  }

  /** {@link page} as bounded steps (see {@link scanTracePage}): what the HTTP API serves. */
  pageSteps(query: TraceQuery, limit: number, after: TraceCursor | undefined): SteppedRead<TracePage> {
    return scanTracePage(this.store, normalize(query), limit, after);
  }

  trace(traceId: string, offline?: boolean): StoredSpan[] {
    return this.store.spans({ traceId: traceId.toLowerCase(), offline });
  }

  /** One span of a trace, read alone (not the whole trace); the earlier-starting copy when live and offline share the id. */
  span(traceId: string, spanId: string, offline?: boolean): StoredSpan | undefined {
    return this.store.spans({ traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase(), offline })[0];
  }

  tags(traceId: string): string[] {
    return this.store.tags(traceId.toLowerCase());
  }

  /** The trace with summaries, tags and links; undefined when no span of it is stored. */
  detail(traceId: string, offline?: boolean): TraceDetail | undefined {
    const head = this.detailHead(traceId, offline);
    return head && { ...head, spans: head.summaries.flatMap((s) => this.store.spans({ traceId: head.traceId, offline: s.offline })) };
  }

  /** {@link detail} without the spans, which {@link spanPage} reads a page at a time. */
  detailHead(traceId: string, offline?: boolean): Omit<TraceDetail, "spans"> | undefined {
    const id = traceId.toLowerCase();
    const summaries = this.store.traces({ traceId: id, offline }, 2, undefined);
    if (summaries.length === 0) return undefined;
    // Live before offline, as the trace list would show a tie.
    summaries.sort((a, b) => Number(a.offline) - Number(b.offline));
    return {
      traceId: id,
      summaries,
      tags: this.store.tags(id),
      links: linkedTraces(id, this.store.linkSpans(id), (other) => this.store.hasTrace(other)),
    };
  }

  /** A page of the trace's spans in full: the live side's in start order, then the offline side's. */
  spanPage(traceId: string, offline: boolean | undefined, limit: number, cursor?: SpanCursor): { spans: StoredSpan[]; next?: SpanCursor } {
    return this.store.spanPage(traceId.toLowerCase(), offline, limit, cursor);
  }

  /**
   * A page of the trace's span outlines after `cursor` (at most `limit`), yielded {@link OUTLINES_PER_STEP} at a time
   * and never held whole; returns the cursor after the page, undefined on the last one.
   */
  *outlinePage(
    traceId: string,
    offline: boolean | undefined,
    limit: number,
    cursor?: SpanCursor,
  ): Generator<SpanOutline[], SpanCursor | undefined, void> {
    const id = traceId.toLowerCase();
    let next = cursor;
    let read = 0;
    do {
      const page = this.store.outline(id, offline, Math.min(OUTLINES_PER_STEP, limit - read), next);
      read += page.spans.length;
      next = page.next;
      yield page.spans;
    } while (next && read < limit);
    return next;
  }

  /** Sessions (traces sharing `judgment.session_id`), most recently active first, from the newest traces. */
  sessions(query: TraceQuery = {}): SessionSummary[] {
    return runSteps(this.sessionSteps(query));
  }

  /** {@link sessions} as bounded steps. */
  *sessionSteps(query: TraceQuery = {}): SteppedRead<SessionSummary[]> {
    const traces = yield* newest((n, after) => this.store.sessionTraces(conditions(query), n, after), SESSION_ROWS_PER_STEP);
    const sessions = new Map<string, SessionSummary>();
    for (const t of traces) {
      const key = `${t.projectId}\u0000${t.sessionId}`;
      let s = sessions.get(key);
      if (!s) {
        s = {
          sessionId: t.sessionId!,
          projectId: t.projectId,
          traceCount: 0,
          errorCount: 0,
          firstStartTimeUnixNano: t.startTimeUnixNano,
          lastStartTimeUnixNano: t.startTimeUnixNano,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: null,
          customerId: t.customerId,
        };
        sessions.set(key, s);
      }
      s.traceCount += 1;
      s.errorCount += t.errorCount > 0 ? 1 : 0;
      s.inputTokens += t.inputTokens;
      s.outputTokens += t.outputTokens;
      if (t.costUsd !== null) s.costUsd = (s.costUsd ?? 0) + t.costUsd;
      if (compareNanos(t.startTimeUnixNano, s.firstStartTimeUnixNano) < 0) s.firstStartTimeUnixNano = t.startTimeUnixNano;
      if (compareNanos(t.startTimeUnixNano, s.lastStartTimeUnixNano) > 0) s.lastStartTimeUnixNano = t.startTimeUnixNano;
    }
    return [...sessions.values()].sort((a, b) => compareNanos(b.lastStartTimeUnixNano, a.lastStartTimeUnixNano));
  }

  /**
   * Experiment runs: offline traces grouped by the `judgment.experiment.run`
   * resource attribute, or — without one — by project and arrival, a pause of
   * {@link RUN_GAP_MS} starting a new run. Each run lists its examples (root
   * input, output and trace) oldest first; runs are newest first.
   */
  experiments(query: TraceQuery = {}): ExperimentRun[] {
    return runSteps(this.experimentSteps(query));
  }

  /** {@link experiments} as bounded steps. */
  *experimentSteps(query: TraceQuery = {}): SteppedRead<ExperimentRun[]> {
    const traces = (yield* newest((n, after) => this.store.experimentTraces(conditions(query), n, after), ROWS_PER_STEP)).reverse();
    const runs = new Map<string, ExperimentRun>();
    const lastUnnamed = new Map<string, { run: ExperimentRun; lastMs: number }>();
    for (const t of traces) {
      let run: ExperimentRun | undefined;
      if (t.run !== null) {
        const key = `${t.projectId}\u0000${t.run}`;
        run = runs.get(key);
        if (!run) runs.set(key, (run = newRun(t, t.run, t.run)));
      } else {
        const startMs = nsToMs(t.startTimeUnixNano);
        const open = lastUnnamed.get(t.projectId);
        if (open && startMs - open.lastMs <= RUN_GAP_MS) run = open.run;
        else runs.set(`${t.projectId}\u0000@${t.traceId}`, (run = newRun(t, `run-${t.traceId.slice(0, 8)}`, null)));
        lastUnnamed.set(t.projectId, { run, lastMs: startMs });
      }
      run.examples.push({
        traceId: t.traceId,
        name: t.rootName,
        input: t.inputPreview,
        output: t.outputPreview,
        status: t.status,
        durationMs: t.durationMs,
        costUsd: t.costUsd,
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        expected: t.expected,
        scores: parseScores(t.scoresText) ?? null,
      });
      run.errorCount += t.errorCount > 0 ? 1 : 0;
      if (t.costUsd !== null) run.costUsd = (run.costUsd ?? 0) + t.costUsd;
      run.lastStartTimeUnixNano = t.startTimeUnixNano;
    }
    return [...runs.values()].sort((a, b) => compareNanos(b.firstStartTimeUnixNano, a.firstStartTimeUnixNano));
  }
}

function newRun(first: ExperimentTrace, id: string, name: string | null): ExperimentRun {
  return {
    id,
    name,
    projectId: first.projectId,
    firstStartTimeUnixNano: first.startTimeUnixNano,
    lastStartTimeUnixNano: first.startTimeUnixNano,
    errorCount: 0,
    costUsd: null,
    examples: [],
  };
}

/**
 * The newest traces a view groups, at most {@link GROUPING_WINDOW}, read `perStep` at a time; a view whose conditions
 * match few traces stops after {@link STEPS_PER_REQUEST} steps with what it found.
 */
function* newest<R>(read: (limit: number, after: TraceCursor | undefined) => ListWindow<R>, perStep: number): SteppedRead<R[]> {
  const out: R[] = [];
  let after: TraceCursor | undefined;
  for (let steps = 0; out.length < GROUPING_WINDOW && steps < STEPS_PER_REQUEST; steps++) {
    const window = read(Math.min(perStep, GROUPING_WINDOW - out.length), after);
    out.push(...window.rows);
    if (window.end === null) break;
    after = window.end;
    yield;
  }
  return out;
}

/** What a query asks of the traces, without its page (`limit`, `cursor`). */
function conditions(query: TraceQuery): TraceQuery {
  const { limit: _limit, cursor: _cursor, ...rest } = normalize(query);
  return rest;
}

function normalize<T extends SpanFilter>(filter: T): T {
  return filter.traceId === undefined ? filter : { ...filter, traceId: filter.traceId.toLowerCase() };
}
