import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATABASE_FILE, LocalBackend } from "../../lib/dev/index.js";
import { describeWithSqlite, openSqlite as openDb } from "../support/optional-deps.js";
import { ingest, newSpanId, newTraceId, T0, ms } from "../support/otlp-fixtures.js";

// The test opens the database file directly, as a damaged disk or another tool would leave it.

/** A 12 ms root span of project "proj-x" as earlier layouts kept it in JSON; `fields` sets what each test varies. */
function legacyRoot<F extends object>(traceId: string, spanId: string, fields: F) {
  return {
    traceId,
    spanId,
    parentSpanId: null,
    kind: "internal",
    spanType: "agent",
    startTimeUnixNano: String(T0),
    endTimeUnixNano: String(T0 + ms(12)),
    durationMs: 12,
    ended: true,
    events: [] as unknown[],
    links: [] as unknown[],
    resource: {},
    scope: { name: "judgeval", version: "0" },
    offline: false,
    projectId: "proj-x",
    receivedAt: Date.now(),
    ...fields,
  };
}

describeWithSqlite("judgeval dev store on SQLite", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-store-"));
  });
  afterEach(() => rmSync(dataPath, { recursive: true, force: true }));

  it("skips and counts rows that are not JSON or not span-shaped, and still starts and lists", async () => {
    const [good, bad] = [newTraceId(), newTraceId()];
    const first = await LocalBackend.start({ dataPath });
    await ingest(first, [{ traceId: good, spanId: newSpanId(), name: "good" }]);
    await ingest(first, [
      { traceId: bad, spanId: newSpanId(), name: "root" },
      { traceId: bad, spanId: newSpanId(), name: "child" },
    ]);
    await first.close();

    const db = openDb(join(dataPath, DATABASE_FILE));
    db.prepare("UPDATE spans SET body = ? WHERE tid = (SELECT tid FROM traces WHERE trace_id = ?) AND name = 'root'").run("{not json", bad);
    db.prepare("UPDATE spans SET body = ? WHERE tid = (SELECT tid FROM traces WHERE trace_id = ?) AND name = 'child'").run(
      '{"traceId": 7}',
      bad,
    );
    db.close();

    const warnings: string[] = [];
    const second = await LocalBackend.start({ dataPath, onWarning: (message) => warnings.push(message) });
    try {
      expect(
        second
          .traces()
          .map((t) => t.rootName)
          .sort(),
      ).toEqual(["good", "root"]);
      expect(second.trace(bad)).toEqual([]);
      expect(second.trace(good).map((s) => s.name)).toEqual(["good"]);
      const res = await fetch(`${second.url}/api/v1/traces/${bad}`);
      expect(res.status).toBe(200);
      // Each damaged row counts once, however often it is met.
      second.trace(bad);
      expect(second.counters.corruptRows).toBe(2);
      // Said once, with what to do.
      expect(warnings.filter((w) => w.includes("could not be read back"))).toHaveLength(1);
      expect(warnings[0]).toContain(`npx judgeval salvage --data ${dataPath}`);
    } finally {
      await second.close();
    }
  });

  it("migrates a database of the first release (one JSON row per span) and skips its damaged rows", async () => {
    const traceId = newTraceId();
    const db = openDb(join(dataPath, DATABASE_FILE));
    db.exec(`CREATE TABLE spans (offline INTEGER NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, update_id INTEGER NOT NULL,
      span TEXT NOT NULL, PRIMARY KEY (offline, trace_id, span_id));
      CREATE TABLE trace_tags (trace_id TEXT PRIMARY KEY, tags TEXT NOT NULL);
      CREATE TABLE projects (name TEXT PRIMARY KEY, id TEXT NOT NULL);
      PRAGMA user_version = 1;`);
    const spanId = newSpanId();
    const span = legacyRoot(traceId, spanId, {
      name: "old-root",
      status: { code: "ok", message: "" },
      attributes: { "judgment.session_id": "sess" },
      updateId: 2,
    });
    db.prepare("INSERT INTO spans VALUES (0, ?, ?, 2, ?)").run(traceId, spanId, JSON.stringify(span));
    db.prepare("INSERT INTO spans VALUES (0, ?, ?, 0, ?)").run(traceId, newSpanId(), "garbage");
    db.prepare("INSERT INTO trace_tags VALUES (?, ?)").run(traceId, '["a","b"]');
    db.prepare("INSERT INTO projects VALUES ('old', 'proj-x')").run();
    db.close();

    const backend = await LocalBackend.start({ dataPath });
    try {
      expect(backend.traces()).toEqual([
        expect.objectContaining({
          traceId,
          rootName: "old-root",
          rootSpanType: "agent",
          durationMs: 12,
          sessionId: "sess",
          tags: ["a", "b"],
        }),
      ]);
      expect(backend.counters.corruptRows).toBe(1);
      expect(backend.projectId("old")).toBe(backend.projectId("old"));
    } finally {
      await backend.close();
    }
    const check = openDb(join(dataPath, DATABASE_FILE));
    expect((check.prepare("PRAGMA user_version").get() as { user_version: number }).user_version).toBe(8);
    check.close();
  });

  it("migrates a database of the second layout (spans keyed by trace id) and keeps ingesting into its traces", async () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const db = openDb(join(dataPath, DATABASE_FILE));
    db.exec(`CREATE TABLE spans (id INTEGER PRIMARY KEY, offline INTEGER NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL,
        parent_span_id TEXT, project_id TEXT NOT NULL, name TEXT NOT NULL, span_type TEXT NOT NULL, status TEXT NOT NULL,
        start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, update_id INTEGER NOT NULL, received_at INTEGER NOT NULL,
        session_id TEXT, customer_id TEXT, customer_user_id TEXT, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        cost_usd REAL, link_trace_id TEXT, run TEXT, body TEXT NOT NULL);
      CREATE UNIQUE INDEX spans_key ON spans (trace_id, offline, span_id);
      CREATE INDEX spans_link ON spans (link_trace_id) WHERE link_trace_id IS NOT NULL;
      CREATE TABLE traces (trace_id TEXT NOT NULL, offline INTEGER NOT NULL, project_id TEXT NOT NULL, root_name TEXT NOT NULL,
        root_span_id TEXT NOT NULL, root_span_type TEXT NOT NULL, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
        span_count INTEGER NOT NULL, error_count INTEGER NOT NULL, open_count INTEGER NOT NULL, status TEXT NOT NULL,
        session_id TEXT, customer_id TEXT, customer_user_id TEXT, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        cost_usd REAL, input_preview TEXT, output_preview TEXT, run TEXT, updated_at INTEGER NOT NULL,
        PRIMARY KEY (trace_id, offline)) WITHOUT ROWID;
      CREATE INDEX traces_start ON traces (start_ns);
      CREATE TABLE tags (trace_id TEXT NOT NULL, seq INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (trace_id, tag)) WITHOUT ROWID;
      CREATE TABLE projects (name TEXT PRIMARY KEY, id TEXT NOT NULL);
      PRAGMA user_version = 2;`);
    const span = legacyRoot(traceId, rootId, {
      name: "v2-root",
      status: { code: "ok", message: "fine" },
      attributes: { "judgment.input": '{"q":1}', nested: { list: [1, "two"] } },
      events: [{ name: "exception", timeUnixNano: String(T0 + ms(5)), attributes: { "exception.message": "boom" } }],
      resource: { "service.name": "old-service" },
      updateId: 0,
    });
    db.prepare(
      `INSERT INTO spans (offline, trace_id, span_id, parent_span_id, project_id, name, span_type, status, start_ns, end_ns, update_id,
        received_at, input_tokens, output_tokens, body) VALUES (0, ?, ?, NULL, 'proj-x', 'v2-root', 'agent', 'ok', ?, ?, 0, ?, 0, 0, ?)`,
    ).run(traceId, rootId, T0, T0 + ms(12), span.receivedAt, JSON.stringify(span));
    db.prepare(
      `INSERT INTO traces VALUES (?, 0, 'proj-x', 'v2-root', ?, 'agent', ?, ?, 1, 0, 0, 'ok', NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, ?)`,
    ).run(traceId, rootId, T0, T0 + ms(12), span.receivedAt);
    db.prepare("INSERT INTO projects VALUES ('old', 'proj-x')").run();
    db.close();

    const backend = await LocalBackend.start({ dataPath });
    try {
      expect(backend.traces()).toEqual([expect.objectContaining({ traceId, rootName: "v2-root", spanCount: 1, durationMs: 12 })]);
      // The span reads back whole from the lean layout: body fields, resource and scope moved out and back.
      expect(backend.trace(traceId)).toEqual([span]);
      // A later span of the migrated trace joins it, and the rollup counts both.
      const reply = await ingest(backend, [
        { traceId, spanId: newSpanId(), parentSpanId: rootId, name: "late child", start: T0 + ms(1), end: T0 + ms(20) },
      ]);
      expect(reply.status).toBe(200);
      expect(backend.trace(traceId).map((s) => s.name)).toEqual(["v2-root", "late child"]);
      expect(backend.traces()).toEqual([expect.objectContaining({ traceId, rootName: "v2-root", spanCount: 2, durationMs: 20 })]);
    } finally {
      await backend.close();
    }
  });

  it("refuses a database from a newer version instead of damaging it", async () => {
    const db = openDb(join(dataPath, DATABASE_FILE));
    db.exec("PRAGMA user_version = 99");
    db.close();
    await expect(LocalBackend.start({ dataPath })).rejects.toThrow(/schema version 99, newer than this judgeval/);
  });

  it("removes traces idle for longer than maxAgeMs when it starts", async () => {
    const first = await LocalBackend.start({ dataPath });
    await ingest(first, [{ traceId: newTraceId(), spanId: newSpanId(), name: "old" }]);
    await first.close();
    const db = openDb(join(dataPath, DATABASE_FILE));
    db.prepare("UPDATE traces SET updated_at = ?").run(Date.now() - 3 * 60 * 60 * 1000);
    db.close();
    const second = await LocalBackend.start({ dataPath, retention: { maxAgeMs: 60 * 60 * 1000 } });
    try {
      expect(second.traces()).toEqual([]);
      expect(second.spans()).toEqual([]);
      expect(second.counters.prunedTraces).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("drops the shared resource rows of removed traces once there are many, and keeps those still in use", async () => {
    const first = await LocalBackend.start({ dataPath });
    const fresh = newTraceId();
    try {
      // One resource per request: a sender whose resource changes every time.
      for (let i = 0; i < 300; i++) {
        const reply = await ingest(first, [{ traceId: newTraceId(), spanId: newSpanId(), name: `old${i}` }], {
          resource: { "service.name": `svc-${i}` },
        });
        expect(reply.status).toBe(200);
      }
      const reply = await ingest(first, [{ traceId: fresh, spanId: newSpanId(), name: "fresh" }], {
        resource: { "service.name": "svc-fresh" },
      });
      expect(reply.status).toBe(200);
    } finally {
      await first.close();
    }
    const db = openDb(join(dataPath, DATABASE_FILE));
    db.prepare("UPDATE traces SET updated_at = ? WHERE trace_id <> ?").run(Date.now() - 3 * 60 * 60 * 1000, fresh);
    db.close();
    const second = await LocalBackend.start({ dataPath, retention: { maxAgeMs: 60 * 60 * 1000 } });
    try {
      expect(second.counters.prunedTraces).toBe(300);
      expect(second.trace(fresh)).toEqual([expect.objectContaining({ name: "fresh", resource: { "service.name": "svc-fresh" } })]);
      // A resource seen before the restart is written again without trouble.
      const again = newTraceId();
      const reply = await ingest(second, [{ traceId: again, spanId: newSpanId(), name: "again" }], {
        resource: { "service.name": "svc-7" },
      });
      expect(reply.status).toBe(200);
      expect(second.trace(again)).toEqual([expect.objectContaining({ resource: { "service.name": "svc-7" } })]);
    } finally {
      await second.close();
    }
    const check = openDb(join(dataPath, DATABASE_FILE));
    expect(check.prepare("SELECT count(*) AS n FROM origins").get()).toEqual({ n: 2 });
    check.close();
  });
});
