import type { ExperimentRun, SessionSummary, TracePage, TraceSummary } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { encodeSpans, ingest, ms, newSpanId, newTraceId, post, T0 } from "../support/otlp-fixtures.js";

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe("query API v1", () => {
  const ctx = useBackend();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const b = ctx.backend;
    const trace = async (
      key: string,
      project: string,
      start: bigint,
      root: Record<string, unknown>,
      extra: Record<string, unknown>[] = [],
      status?: number,
    ): Promise<void> => {
      const traceId = (ids[key] = newTraceId());
      const rootId = newSpanId();
      await ingest(
        b,
        [
          {
            traceId,
            spanId: rootId,
            name: String(root["name"]),
            start,
            end: start + ms(100),
            attributes: root["attributes"] as Record<string, unknown>,
            status: status ? { code: status } : undefined,
          },
          ...extra.map((e, i) => ({
            traceId,
            spanId: newSpanId(),
            parentSpanId: rootId,
            name: String(e["name"]),
            start: start + ms(i + 1),
            attributes: e["attributes"] as Record<string, unknown>,
          })),
        ],
        { projectName: project },
      );
    };
    await trace(
      "chat1",
      "alpha",
      T0,
      {
        name: "chat-agent",
        attributes: {
          "judgment.span_kind": "agent",
          "judgment.session_id": "s-1",
          "judgment.customer_id": "acme",
          "judgment.input": '{"question":"refund for shoes"}',
          "judgment.output": '"30 days"',
        },
      },
      [
        {
          name: "openai.chat",
          attributes: {
            "judgment.span_kind": "llm",
            "judgment.session_id": "s-1",
            "judgment.usage.non_cached_input_tokens": 100,
            "judgment.usage.cache_read_input_tokens": 20,
            "judgment.usage.output_tokens": 7,
            "judgment.usage.total_cost_usd": 0.0000024,
          },
        },
        {
          name: "openai.chat",
          attributes: {
            "judgment.span_kind": "llm",
            "judgment.usage.non_cached_input_tokens": 10,
            "judgment.usage.output_tokens": 3,
            "judgment.usage.total_cost_usd": 0.0000016,
          },
        },
      ],
    );
    await trace("chat2", "alpha", T0 + ms(1000), {
      name: "chat-agent",
      attributes: { "judgment.span_kind": "agent", "judgment.session_id": "s-1", "judgment.customer_user_id": "u-9" },
    });
    await trace("failed", "beta", T0 + ms(2000), { name: "batch-job", attributes: { "judgment.span_kind": "function" } }, [], 2);
    await trace("tagged", "beta", T0 + ms(3000), { name: "tagged-run", attributes: {} }, [
      { name: "tool", attributes: { "judgment.output": "a needle in the output" } },
    ]);
    await post(b, `/v1/projects/${b.projectId("beta")}/traces/${ids["tagged"]}/tags`, JSON.stringify({ tags: ["gold"] }));
    // Two experiment runs: one named on the resource, one grouped by arrival.
    for (const [run, input, output] of [
      ["baseline", "q1", "a1"],
      ["baseline", "q2", "a2"],
      [null, "q1", "b1"],
    ] as const) {
      const body = encodeSpans(
        [
          {
            traceId: newTraceId(),
            spanId: newSpanId(),
            name: "answer",
            start: BigInt(Date.now()) * 1_000_000n,
            attributes: { "judgment.input": input, "judgment.output": output },
          },
        ],
        run ? { "service.name": "alpha", "judgment.experiment.run": run } : { "service.name": "alpha" },
      );
      await post(b, "/otel/v1/offline-traces", body, { "content-type": "application/x-protobuf", "x-project-id": b.projectId("alpha")! });
    }
  });

  const list = (q: string): Promise<TracePage> => get<TracePage>(`${ctx.backend.url}/api/v1/traces?offline=false&${q}`);
  const names = (page: TracePage): string[] => page.traces.map((t) => t.traceId);

  it("filters by project, name, kind, status, session, customer, tag, time and text", async () => {
    expect(names(await list("project=alpha"))).toEqual([ids["chat2"], ids["chat1"]]);
    expect(names(await list(`projectId=${ctx.backend.projectId("beta")}`))).toEqual([ids["tagged"], ids["failed"]]);
    expect(names(await list("name=CHAT"))).toEqual([ids["chat2"], ids["chat1"]]);
    expect(names(await list("kind=function"))).toEqual([ids["failed"]]);
    expect(names(await list("status=error"))).toEqual([ids["failed"]]);
    expect(names(await list("status=ok&project=beta"))).toEqual([ids["tagged"]]);
    expect(names(await list("session=s-1"))).toEqual([ids["chat2"], ids["chat1"]]);
    expect(names(await list("customer=acme"))).toEqual([ids["chat1"]]);
    expect(names(await list("customer=u-9"))).toEqual([ids["chat2"]]);
    expect(names(await list("tag=gold"))).toEqual([ids["tagged"]]);
    const t0ms = Number(T0 / 1_000_000n);
    expect(names(await list(`from=${t0ms + 500}&to=${t0ms + 2500}`))).toEqual([ids["failed"], ids["chat2"]]);
    expect(names(await list(`from=${new Date(t0ms + 2500).toISOString()}&to=${t0ms + 10_000}`))).toEqual([ids["tagged"]]);
    expect(names(await list("q=needle"))).toEqual([ids["tagged"]]);
    expect(names(await list("q=refund%20for%20shoes"))).toEqual([ids["chat1"]]);
    expect(names(await list("q=nowhere-to-be-found"))).toEqual([]);
  });

  it("pages with a cursor, newest first, without repeats or gaps", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TracePage = await list(`limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.traces.length).toBeLessThanOrEqual(1);
      seen.push(...names(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids["tagged"], ids["failed"], ids["chat2"], ids["chat1"]]);
  });

  it("rolls up span count, errors, tokens, exact cost, duration and previews per trace", async () => {
    const [chat1] = (await list(`session=s-1&customer=acme`)).traces as [TraceSummary];
    expect(chat1).toMatchObject({
      spanCount: 3,
      errorCount: 0,
      inputTokens: 130,
      outputTokens: 10,
      durationMs: 100,
      rootSpanType: "agent",
      inputPreview: '{"question":"refund for shoes"}',
      outputPreview: '"30 days"',
    });
    expect(chat1.costUsd).toBeCloseTo(0.000004, 12);
    const failed = (await list("status=error")).traces[0];
    expect(failed).toMatchObject({ status: "error", errorCount: 1, costUsd: null, inputTokens: 0 });
  });

  it("returns a trace outline with the parent of each span and one span in full", async () => {
    const outline = await get<{
      spans: { spanId: string; parentSpanId: string | null; name: string; inputTokens: number }[];
      truncated: boolean;
    }>(`${ctx.backend.url}/api/v1/traces/${ids["chat1"]}`);
    expect(outline.truncated).toBe(false);
    // The page is written as it is read, its members in the documented order.
    expect(Object.keys(outline)).toEqual(["traceId", "summaries", "spans", "truncated", "nextCursor", "tags", "links"]);
    expect(outline.spans.map((s) => s.name)).toEqual(["chat-agent", "openai.chat", "openai.chat"]);
    expect(outline.spans[1]).not.toHaveProperty("attributes");
    expect(outline.spans[1].parentSpanId).toBe(outline.spans[0].spanId);
    expect(outline.spans[1].inputTokens).toBe(120);
    const span = await get<{ attributes: Record<string, unknown> }>(
      `${ctx.backend.url}/api/v1/traces/${ids["chat1"]}/spans/${outline.spans[1].spanId}`,
    );
    expect(span.attributes["judgment.usage.total_cost_usd"]).toBe(0.0000024);
    expect((await fetch(`${ctx.backend.url}/api/v1/traces/${ids["chat1"]}/spans/0000000000000001`)).status).toBe(404);
    // the id is matched as the store keeps it (lower case), and only within the trace asked for
    const upper = await get<{ spanId: string }>(
      `${ctx.backend.url}/api/v1/traces/${ids["chat1"]}/spans/${outline.spans[1].spanId.toUpperCase()}`,
    );
    expect(upper.spanId).toBe(outline.spans[1].spanId);
    const other = Object.values(ids).find((id) => id !== ids["chat1"])!;
    expect((await fetch(`${ctx.backend.url}/api/v1/traces/${other}/spans/${outline.spans[1].spanId}`)).status).toBe(404);
  });

  it("pages a large trace's spans: each once, limits honoured, the cursor stable while spans arrive", async () => {
    const b = ctx.backend;
    const traceId = newTraceId();
    const spanInput = (i: number) => ({ traceId, spanId: newSpanId(), name: `s${i}`, start: T0 + ms(i), end: T0 + ms(i + 1) });
    const stored = Array.from({ length: 2500 }, (_, i) => spanInput(i));
    for (let i = 0; i < stored.length; i += 500) expect((await ingest(b, stored.slice(i, i + 500))).status).toBe(200);
    const offline = Array.from({ length: 30 }, (_, i) => spanInput(i));
    expect((await ingest(b, offline, { offline: true })).status).toBe(200);
    type Page = { spans: { spanId: string; startTimeUnixNano: string; offline: boolean }[]; truncated: boolean; nextCursor: string | null };

    const first = await get<Page>(`${b.url}/api/v1/traces/${traceId}`);
    expect(first.spans).toHaveLength(2000);
    expect(first.truncated).toBe(true);

    const seen: Page["spans"] = [];
    let pages = 0;
    for (let cursor: string | null = ""; cursor !== null; pages++) {
      const page: Page = await get<Page>(`${b.url}/api/v1/traces/${traceId}?limit=700${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.spans.length).toBeLessThanOrEqual(700);
      expect(page.truncated).toBe(page.nextCursor !== null);
      seen.push(...page.spans);
      cursor = page.nextCursor;
      // Spans arrive between pages, before and after the cursor.
      expect((await ingest(b, [spanInput(-1 - pages), spanInput(5000 + pages)])).status).toBe(200);
    }
    const ids = seen.map((s) => s.spanId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const span of [...stored, ...offline]) expect(ids).toContain(span.spanId);
    // The live side in start order, then the offline side.
    const live = seen.filter((s) => !s.offline);
    expect(live.every((s, i) => i === 0 || BigInt(live[i - 1].startTimeUnixNano) <= BigInt(s.startTimeUnixNano))).toBe(true);
    expect(seen.findIndex((s) => s.offline)).toBe(live.length);

    const all = await get<Page>(`${b.url}/api/v1/traces/${traceId}?limit=100000`);
    // Up to the largest page (10,000): every span stored, those that arrived while paging included.
    expect(all.spans.length).toBe(stored.length + offline.length + 2 * pages);
    // The unversioned endpoint writes the same spans in full, page after page, as one JSON object.
    const legacy = await get<{ traceId: string; spans: { spanId: string }[]; tags: string[] }>(`${b.url}/api/traces/${traceId}`);
    expect(legacy.traceId).toBe(traceId);
    expect(legacy.tags).toEqual([]);
    expect(legacy.spans.map((s) => s.spanId)).toEqual(all.spans.map((s) => s.spanId));
    expect((await fetch(`${b.url}/api/v1/traces/${traceId}?cursor=nope`)).status).toBe(400);
    expect((await fetch(`${b.url}/api/v1/traces/${traceId}?limit=0`)).status).toBe(400);
  });

  it("groups traces into sessions", async () => {
    const { sessions } = await get<{ sessions: SessionSummary[] }>(`${ctx.backend.url}/api/v1/sessions`);
    expect(sessions).toEqual([
      expect.objectContaining({
        sessionId: "s-1",
        projectId: ctx.backend.projectId("alpha"),
        traceCount: 2,
        inputTokens: 130,
        outputTokens: 10,
      }),
    ]);
    expect((await get<{ sessions: SessionSummary[] }>(`${ctx.backend.url}/api/v1/sessions?project=beta`)).sessions).toEqual([]);
  });

  it("groups offline traces into experiment runs with their examples", async () => {
    const { runs } = await get<{ runs: ExperimentRun[] }>(`${ctx.backend.url}/api/v1/experiments?project=alpha`);
    expect(runs.map((r) => [r.name, r.examples.map((e) => [e.input, e.output])])).toEqual(
      expect.arrayContaining([
        [
          "baseline",
          [
            ["q1", "a1"],
            ["q2", "a2"],
          ],
        ],
        [null, [["q1", "b1"]]],
      ]),
    );
    expect(runs).toHaveLength(2);
    const stats = await get<{ apiVersion: number; storage: string; counters: { acceptedSpans: number } }>(
      `${ctx.backend.url}/api/v1/stats`,
    );
    expect(stats).toMatchObject({ apiVersion: 1, storage: "sqlite-memory" });
    expect(stats.counters.acceptedSpans).toBeGreaterThanOrEqual(9);
  });
});

describe("query API v1: long ids", () => {
  const ctx = useBackend();

  it("lists a session id of up to 1024 characters and answers its page; a longer one is not listed as a session", async () => {
    const long = "s".repeat(600) + "é".repeat(424);
    const tooLong = "x".repeat(1025);
    for (const sessionId of [long, tooLong])
      await ingest(
        ctx.backend,
        [{ traceId: newTraceId(), spanId: newSpanId(), name: "turn", attributes: { "judgment.session_id": sessionId } }],
        {
          projectName: "long-ids",
        },
      );
    const { sessions } = await get<{ sessions: SessionSummary[] }>(`${ctx.backend.url}/api/v1/sessions?project=long-ids`);
    expect(sessions.map((s) => s.sessionId)).toEqual([long]);
    for (const listed of sessions) {
      // the viewer's session page asks exactly this
      const page = await get<TracePage>(`${ctx.backend.url}/api/v1/traces?session=${encodeURIComponent(listed.sessionId)}&limit=1000`);
      expect(page.traces.map((t) => t.sessionId)).toEqual([long]);
    }
    const refused = await fetch(`${ctx.backend.url}/api/v1/traces?session=${tooLong}`);
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([400, "session is longer than 1024 characters"]);
    // the long value is still on its span, as sent
    const all = await get<TracePage>(`${ctx.backend.url}/api/v1/traces?project=long-ids`);
    expect(all.traces).toHaveLength(2);
  });
});
