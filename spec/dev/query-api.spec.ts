import { request } from "node:http";
import type { TraceDetail, TraceSummary } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { ingest, ms, newSpanId, newTraceId, post, T0 } from "../support/otlp-fixtures.js";

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

describe("LocalBackend query API and viewer routes", () => {
  const ctx = useBackend();

  it("lists traces newest first, filtered by side, without credentials", async () => {
    const [older, newer, offline] = [newTraceId(), newTraceId(), newTraceId()];
    await ingest(ctx.backend, [{ traceId: older, spanId: newSpanId(), name: "older", start: T0 }]);
    await ingest(ctx.backend, [{ traceId: newer, spanId: newSpanId(), name: "newer", start: T0 + ms(1000) }]);
    await ingest(ctx.backend, [{ traceId: offline, spanId: newSpanId(), name: "experiment" }], { offline: true });

    const all = await getJson<{ traces: TraceSummary[]; total: number }>(`${ctx.backend.url}/api/traces`);
    expect(all.status).toBe(200);
    const ids = all.body.traces.map((t) => t.traceId);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(ids).toContain(offline);

    const live = await getJson<{ traces: TraceSummary[] }>(`${ctx.backend.url}/api/traces?offline=false`);
    expect(live.body.traces.every((t) => !t.offline)).toBe(true);
    const off = await getJson<{ traces: TraceSummary[] }>(`${ctx.backend.url}/api/traces?offline=true&limit=1`);
    expect(off.body.traces).toEqual([expect.objectContaining({ traceId: offline, offline: true, rootName: "experiment" })]);
    expect((await fetch(`${ctx.backend.url}/api/traces?offline=maybe`)).status).toBe(400);
    expect((await fetch(`${ctx.backend.url}/api/traces?limit=0`)).status).toBe(400);
  });

  it("returns one trace with spans, tags and links found from both ends", async () => {
    const [parentTrace, linkedTrace] = [newTraceId(), newTraceId()];
    const [root, invocation, linkedRoot] = [newSpanId(), newSpanId(), newSpanId()];
    // Only the invocation span carries the link: the linked trace must still point back.
    await ingest(ctx.backend, [
      { traceId: parentTrace, spanId: root, name: "agent" },
      {
        traceId: parentTrace,
        spanId: invocation,
        parentSpanId: root,
        name: "fork",
        attributes: { "judgment.link.target_trace_id": linkedTrace, "judgment.link.target_span_id": linkedRoot },
      },
      { traceId: linkedTrace, spanId: linkedRoot, name: "forked-root" },
    ]);
    await post(
      ctx.backend,
      `/v1/projects/${ctx.backend.projectId("test-project")}/traces/${parentTrace}/tags`,
      JSON.stringify({ tags: ["t1"] }),
    );

    const parent = await getJson<TraceDetail>(`${ctx.backend.url}/api/traces/${parentTrace.toUpperCase()}`);
    expect(parent.status).toBe(200);
    expect(parent.body.spans.map((s) => s.name)).toEqual(["agent", "fork"]);
    expect(parent.body.tags).toEqual(["t1"]);
    expect(parent.body.summaries).toEqual([expect.objectContaining({ rootName: "agent", spanCount: 2 })]);
    expect(parent.body.links).toEqual([
      { direction: "to", traceId: linkedTrace, spanId: linkedRoot, localSpanId: invocation, exists: true },
    ]);
    const linked = await getJson<TraceDetail>(`${ctx.backend.url}/api/traces/${linkedTrace}`);
    expect(linked.body.links).toEqual([
      { direction: "from", traceId: parentTrace, spanId: invocation, localSpanId: linkedRoot, exists: true },
    ]);
    expect(ctx.backend.traceDetail(linkedTrace)?.links).toEqual(linked.body.links);

    expect((await fetch(`${ctx.backend.url}/api/traces/${newTraceId()}`)).status).toBe(404);
    expect((await fetch(`${ctx.backend.url}/api/traces/${parentTrace}?offline=true`)).status).toBe(404);
  });

  it("lists projects", async () => {
    ctx.backend.projectId("listed");
    const projects = await getJson<{ projects: { name: string; id: string }[] }>(`${ctx.backend.url}/api/projects`);
    expect(projects.body.projects).toContainEqual({ name: "listed", id: ctx.backend.projectId("listed") });
  });

  it("pushes a change event to /api/events after ingest", async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(`${ctx.backend.url}/api/events`, (res) => {
        expect(res.headers["content-type"]).toMatch(/text\/event-stream/);
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
          if (text.includes("event: change")) {
            req.destroy();
            resolve(text);
          } else if (text.includes("retry:")) {
            // Subscribed: now cause a change.
            void ingest(ctx.backend, [{ traceId: newTraceId(), spanId: newSpanId(), name: "pushed" }]);
          }
        });
      });
      req.on("error", reject);
      req.end();
    });
    expect(await received).toMatch(/event: change\ndata: \d+/);
  });

  it("serves the viewer page for every viewer path, its modules and stylesheet", async () => {
    for (const path of ["/", `/traces/${newTraceId()}`, `/trace/${newTraceId()}`, "/sessions", "/sessions/abc", "/experiments"]) {
      const res = await fetch(`${ctx.backend.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(await res.text()).toContain('<script type="module" src="/viewer/main.js"></script>');
    }
    const main = await fetch(`${ctx.backend.url}/viewer/main.js`);
    expect(main.headers.get("content-type")).toMatch(/javascript/);
    // Every module the entry imports is served too.
    const imports = [...(await main.text()).matchAll(/from "\.\/([a-z-]+\.js)"/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(3);
    for (const file of imports) expect([file, (await fetch(`${ctx.backend.url}/viewer/${file}`)).status]).toEqual([file, 200]);
    const css = await fetch(`${ctx.backend.url}/viewer/viewer.css`);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    expect((await fetch(`${ctx.backend.url}/viewer/nope.js`)).status).toBe(404);
    expect((await fetch(`${ctx.backend.url}/viewer/constructor.js`)).status).toBe(404);
    expect((await fetch(`${ctx.backend.url}/api/traces`, { method: "POST" })).status).toBe(405);
  });
});
