import type { ExperimentRun, SessionSummary, TraceOutline, TracePage, TraceSummary } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { ingest, ms, newSpanId, newTraceId, T0, type SpanInput } from "../support/otlp-fixtures.js";

/**
 * Reads of `judgeval dev` that go in bounded steps (index windows of 2,000 traces, searches a few thousand spans at a
 * time), through the HTTP API: pages are complete and in order across window and step boundaries, and stay so while
 * traces arrive between pages.
 */

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** More traces than one index window, so that filtered pages and searches cross window boundaries. */
const TRACES = 2600;
const BIG_TRACE = 5200;
const NEEDLE = "needle-7f3a";

interface Known {
  traceId: string;
  i: number;
  start: bigint;
}

describe("paged and stepped reads", () => {
  const ctx = useBackend();
  const known: Known[] = [];
  let bigTraceId = "";
  const bigSpanIds: string[] = [];
  const offlineIds: string[] = [];

  const list = (query: string): Promise<TracePage> => get<TracePage>(`${ctx.backend.url}/api/v1/traces?${query}`);

  /** Every page of `query`, following `nextCursor` to the end; checks each page's size against `limit`. */
  async function allPages(query: string, limit: number, between: () => Promise<void> = async () => undefined): Promise<TraceSummary[]> {
    const out: TraceSummary[] = [];
    let cursor: string | null = null;
    do {
      const page: TracePage = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.traces.length).toBeLessThanOrEqual(limit);
      out.push(...page.traces);
      cursor = page.nextCursor;
      await between();
    } while (cursor !== null);
    return out;
  }

  /** Newest first, by (start, trace id, side), and no trace twice. */
  function expectListOrder(traces: TraceSummary[]): void {
    const keys = traces.map((t) => `${t.startTimeUnixNano.padStart(20, "0")}|${t.traceId}|${Number(t.offline)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort().reverse());
  }

  beforeAll(async () => {
    const b = ctx.backend;
    const spans: SpanInput[] = [];
    for (let i = 0; i < TRACES; i++) {
      const traceId = newTraceId();
      const start = T0 + ms(i);
      known.push({ traceId, i, start });
      spans.push({
        traceId,
        spanId: newSpanId(),
        name: `agent-${i % 10}`,
        start,
        end: start + ms(0.5),
        attributes: {
          "judgment.input": i % 500 === 7 ? `find the ${NEEDLE} here` : `question ${i}`,
          ...(i % 100 === 3 ? { "judgment.session_id": `s-${i % 3}` } : {}),
        },
        status: i % 13 === 0 ? { code: 2 } : undefined,
      });
    }
    for (let i = 0; i < spans.length; i += 650)
      expect((await ingest(b, spans.slice(i, i + 650), { projectName: "many" })).status).toBe(200);

    // One trace larger than a search step, older than every other, with the text in its last span only.
    bigTraceId = newTraceId();
    const root = newSpanId();
    const big: SpanInput[] = [];
    for (let i = 0; i < BIG_TRACE; i++) {
      const spanId = i === 0 ? root : newSpanId();
      bigSpanIds.push(spanId);
      big.push({
        traceId: bigTraceId,
        spanId,
        parentSpanId: i === 0 ? undefined : root,
        name: i === 0 ? "big" : `step-${i}`,
        start: T0 - ms(10_000) + BigInt(i) * 1000n,
        end: T0 - ms(10_000) + BigInt(i) * 1000n + 500n,
        attributes: i === BIG_TRACE - 1 ? { "judgment.output": NEEDLE } : {},
      });
    }
    expect((await ingest(b, big, { projectName: "big" })).status).toBe(200);

    for (let i = 0; i < 3; i++) {
      const traceId = newTraceId();
      offlineIds.push(traceId);
      const start = T0 + ms(i * 10);
      expect(
        (
          await ingest(b, [{ traceId, spanId: newSpanId(), name: `example-${i}`, start, end: start + ms(1) }], {
            offline: true,
            projectName: "many",
          })
        ).status,
      ).toBe(200);
    }
  });

  it("finds every trace holding the text, across windows and pages, a large trace searched a step at a time", async () => {
    const found = await allPages(`q=${NEEDLE}`, 2);
    const expected = known.filter((k) => k.i % 500 === 7).reverse();
    expect(found.map((t) => t.traceId)).toEqual([...expected.map((k) => k.traceId), bigTraceId]);
    expectListOrder(found);
    // The same search in one page.
    expect((await list(`q=${NEEDLE}&limit=50`)).traces.map((t) => t.traceId)).toEqual(found.map((t) => t.traceId));
    expect((await list(`q=no-such-text-anywhere&limit=50`)).traces).toEqual([]);
    // With a filter that leaves fewer candidates than a step takes, a step ends at its window's last trace.
    const named = await allPages(`q=${NEEDLE}&name=agent-7`, 2);
    expect(named.map((t) => t.traceId)).toEqual(expected.map((k) => k.traceId));
  });

  it("counts the legacy list's total per project and side from kept counts", async () => {
    const b = ctx.backend;
    const legacy = (q: string): Promise<{ traces: TraceSummary[]; total: number }> =>
      get<{ traces: TraceSummary[]; total: number }>(`${b.url}/api/traces?${q}`);
    const many = b.projectId("many")!;
    expect((await legacy(`projectId=${many}&limit=1`)).total).toBe(TRACES + offlineIds.length);
    expect((await legacy(`projectId=${many}&offline=false&limit=1`)).total).toBe(TRACES);
    expect((await legacy("offline=true&limit=1")).total).toBe(offlineIds.length);
    const all = await legacy("limit=5000");
    expect(all.total).toBe(b.traces().length);
    expect(all.traces.map((t) => t.traceId)).toEqual(b.traces().map((t) => t.traceId));
  });

  it("serves the legacy trace with all its spans, written a page at a time", async () => {
    const detail = await get<{ spans: { spanId: string }[] }>(`${ctx.backend.url}/api/traces/${bigTraceId}`);
    expect(detail.spans.map((s) => s.spanId)).toEqual(bigSpanIds);
  });

  it("groups sessions and experiment runs of a project across windows", async () => {
    const b = ctx.backend;
    const { sessions } = await get<{ sessions: SessionSummary[] }>(`${b.url}/api/v1/sessions?project=many`);
    const withSession = known.filter((k) => k.i % 100 === 3);
    expect(Object.fromEntries(sessions.map((s) => [s.sessionId, s.traceCount]))).toEqual(
      Object.fromEntries([0, 1, 2].map((n) => [`s-${n}`, withSession.filter((k) => k.i % 3 === n).length])),
    );
    const { runs } = await get<{ runs: ExperimentRun[] }>(`${b.url}/api/v1/experiments?project=many`);
    expect(runs.flatMap((r) => r.examples.map((e) => e.traceId))).toEqual(offlineIds);
  });

  it("pages filtered lists completely and in order while traces arrive between pages", async () => {
    const b = ctx.backend;
    const arrived = new Set<string>();
    let k = 0;
    // Between pages: new traces, newer and older than the pages read so far, with names the filters match.
    const arrive = async (): Promise<void> => {
      const batch: SpanInput[] = [];
      for (let j = 0; j < 20; j++, k++) {
        const traceId = newTraceId();
        arrived.add(traceId);
        const start = k % 2 === 0 ? T0 + ms(100_000 + k) : T0 + ms((k * 37) % TRACES) + 1n;
        batch.push({ traceId, spanId: newSpanId(), name: `agent-${k % 10}`, start, end: start + ms(0.5) });
      }
      expect((await ingest(b, batch, { projectName: "many" })).status).toBe(200);
    };
    const cases: [string, (k: Known) => boolean][] = [
      ["name=agent-3", (x) => x.i % 10 === 3],
      ["offline=false", () => true],
      ["status=ok&kind=span", (x) => x.i % 13 !== 0],
      ["status=error", (x) => x.i % 13 === 0],
      // Rare: most windows hold fewer matches than a page.
      ["name=agent-3&status=ok&offline=false", (x) => x.i % 10 === 3 && x.i % 13 !== 0],
      ["name=agent-3&status=error", (x) => x.i % 10 === 3 && x.i % 13 === 0],
      [`project=many&offline=false`, () => true],
    ];
    for (const [query, matches] of cases) {
      const traces = await allPages(query, 97, arrive);
      expectListOrder(traces);
      const ids = new Set(traces.map((t) => t.traceId));
      // Every trace stored before paging began is there; anything else is a trace that arrived meanwhile.
      for (const x of known.filter(matches)) expect(ids.has(x.traceId)).toBe(true);
      const before = new Set([...known.map((x) => x.traceId), ...offlineIds, bigTraceId]);
      for (const id of ids) if (!before.has(id)) expect(arrived.has(id)).toBe(true);
    }
  });

  it("pages a trace's outline completely while its spans keep arriving", async () => {
    const b = ctx.backend;
    const added: string[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TraceOutline = await get<TraceOutline>(
        `${b.url}/api/v1/traces/${bigTraceId}?limit=1500${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.spans.length).toBeLessThanOrEqual(1500);
      seen.push(...page.spans.map((s) => s.spanId));
      cursor = page.nextCursor;
      const spanId = newSpanId();
      added.push(spanId);
      const start = T0 + ms(5 + added.length);
      expect(
        (await ingest(b, [{ traceId: bigTraceId, spanId, name: "late", start, end: start + 1n }], { projectName: "big" })).status,
      ).toBe(200);
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, BIG_TRACE)).toEqual(bigSpanIds);
    // Spans that arrived after the trace's end was read may be missing; the others are there, after the original ones.
    for (const id of seen.slice(BIG_TRACE)) expect(added).toContain(id);
  });
});
