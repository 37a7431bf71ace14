import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBackend } from "../../lib/dev/index.js";
import { describeWithSqlite } from "../support/optional-deps.js";
import { ingest, ms, newSpanId, newTraceId, post, T0 } from "../support/otlp-fixtures.js";

describeWithSqlite("LocalBackend persistence (SQLite)", () => {
  let dataPath: string;
  beforeEach(() => {
    dataPath = mkdtempSync(join(tmpdir(), "judgeval-backend-"));
  });
  afterEach(() => rmSync(dataPath, { recursive: true, force: true }));

  it("keeps folded spans, live and offline apart, tags and projects across a restart", async () => {
    const traceId = newTraceId();
    const [root, child] = [newSpanId(), newSpanId()];
    const first = await LocalBackend.start({ dataPath });
    const projectId = first.projectId("persisted")!;
    try {
      await ingest(first, [{ traceId, spanId: root, name: "root", end: 0n, attributes: { "judgment.update_id": 0 } }], {
        projectName: "persisted",
      });
      await ingest(
        first,
        [
          { traceId, spanId: root, name: "root", end: T0 + ms(30), attributes: { "judgment.update_id": 1, "judgment.input": '{"q":1}' } },
          { traceId, spanId: child, parentSpanId: root, name: "child", start: T0 + ms(5) },
        ],
        { projectName: "persisted" },
      );
      await ingest(first, [{ traceId, spanId: root, name: "stale", attributes: { "judgment.update_id": 0 } }], {
        projectName: "persisted",
      });
      await ingest(first, [{ traceId, spanId: root, name: "offline-root" }], { offline: true, projectName: "persisted" });
      await post(first, `/v1/projects/${projectId}/traces/${traceId}/tags`, JSON.stringify({ tags: ["keep", "me"] }));
    } finally {
      await first.close();
    }

    const second = await LocalBackend.start({ dataPath });
    try {
      expect(second.projectId("persisted")).toBe(projectId);
      const live = second.trace(traceId, { offline: false });
      expect(live.map((s) => [s.name, s.updateId])).toEqual([
        ["root", 1],
        ["child", 0],
      ]);
      expect(live[0]).toMatchObject({ ended: true, durationMs: 30, projectId, attributes: { "judgment.input": '{"q":1}' } });
      expect(second.trace(traceId, { offline: true }).map((s) => s.name)).toEqual(["offline-root"]);
      expect(second.tags(traceId)).toEqual(["keep", "me"]);
      expect(second.traces({ traceId, offline: false })[0]).toMatchObject({ rootName: "root", spanCount: 2, tags: ["keep", "me"] });

      // Ingest after the restart still folds against what was loaded, and the project id stays known.
      const reply = await ingest(second, [{ traceId, spanId: root, name: "older", attributes: { "judgment.update_id": 0 } }], {
        projectName: "persisted",
      });
      expect(reply.status).toBe(200);
      expect(second.trace(traceId, { offline: false })[0].name).toBe("root");
      const query = await fetch(`${second.url}/api/traces?offline=false`).then((r) => r.json() as Promise<{ total: number }>);
      expect(query.total).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("accepts spans for a persisted project id without resolving it again", async () => {
    const first = await LocalBackend.start({ dataPath });
    const projectId = first.projectId("again")!;
    await first.close();
    const second = await LocalBackend.start({ dataPath });
    try {
      const reply = await post(second, "/otel/v1/traces", new Uint8Array(0), {
        "content-type": "application/x-protobuf",
        "x-project-id": projectId,
      });
      expect(reply.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
