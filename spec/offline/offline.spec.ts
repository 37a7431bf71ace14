import { Example, Judgeval, OfflineTracer, Tracer, observe } from "../../lib/index.js";
import { startBackend, useBackend } from "../support/backend.js";
import { one, received } from "../support/tracing.js";

const ctx = useBackend();

class Agent {
  @observe({ spanType: "agent" })
  async answer(question: string): Promise<string> {
    await new Promise((r) => setImmediate(r));
    return this.lookup(question);
  }

  @observe({ spanType: "tool" })
  lookup(q: string): string {
    return `answer to ${q}`;
  }

  @observe({ fork: true })
  async delegate(task: string): Promise<string> {
    return task.toUpperCase();
  }

  @observe({ spanType: "agent" })
  async withFork(task: string): Promise<string> {
    return this.delegate(task);
  }
}

describe("OfflineTracer.create", () => {
  it("rejects naming every missing credential", async () => {
    const saved = { ...process.env };
    delete process.env.JUDGMENT_API_KEY;
    delete process.env.JUDGMENT_ORG_ID;
    try {
      await expect(OfflineTracer.create({ dataset: [] })).rejects.toThrow(/projectName.*apiKey.*organizationId/);
      await expect(
        OfflineTracer.create({ dataset: [], projectName: "p", apiKey: "k", organizationId: "o", apiUrl: "not a url" }),
      ).rejects.toThrow(/apiUrl/);
      await expect(Judgeval.create({ projectName: "p", apiKey: "k" })).rejects.toThrow(/organizationId/);
    } finally {
      process.env = saved;
    }
  });

  it("knows its project id as soon as create() resolves, as the reference does", async () => {
    const tracer = await OfflineTracer.create({ ...ctx.tracerConfig, projectName: "known-at-once", dataset: [], setActive: false });
    expect(tracer.projectId).toBe(ctx.backend.projectId("known-at-once"));
    const client = await Judgeval.create({ ...ctx.tracerConfig, projectName: "known-at-once" });
    expect(client.offlineTracer({ dataset: [], setActive: false }).projectId).toBe(ctx.backend.projectId("known-at-once"));
  });

  it("rejects with a clear message when the project is unknown", async () => {
    const strict = await startBackend({ projects: ["known"] });
    try {
      await expect(OfflineTracer.create({ ...strict.tracerConfig, projectName: "missing", dataset: [] })).rejects.toThrow(
        /project "missing" was not found/,
      );
      await expect(Judgeval.create({ ...strict.tracerConfig, projectName: "missing" })).rejects.toThrow(/project "missing" was not found/);
    } finally {
      await strict.backend.close();
    }
  });

  it("exports only to the offline endpoint and appends one example per completed root span", async () => {
    const dataset: Example[] = [];
    const tracer = await OfflineTracer.create({
      ...ctx.tracerConfig,
      projectName: "offline-1",
      dataset,
      exampleFields: { input: "q1", expected: "a1" },
    });
    const agent = new Agent();
    await agent.answer("q1");
    await agent.withFork("x");
    Tracer.span("third-root", () => Tracer.span("child", () => undefined));
    Tracer.tag("ignored");
    Tracer.span("eval", () => Tracer.asyncEvaluate("judge"));
    expect(dataset.map((e) => e.get("offline_trace_id"))).toHaveLength(4);
    const spans = await received(ctx, tracer);
    expect(spans.every((s) => s.offline)).toBe(true);
    expect(ctx.backend.spans({ projectId: tracer.projectId, offline: false })).toHaveLength(0);
    const paths = new Set(ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId).map((r) => r.path));
    expect(paths).toEqual(new Set(["/otel/v1/offline-traces"]));
    expect(one(spans, "answer").resource["judgment.offline"]).toBe("true");
    expect(spans.some((s) => s.updateId > 0)).toBe(false);
    expect(one(spans, "eval").attributes["judgment.pending_trace_eval"]).toBeUndefined();

    const roots = spans.filter((s) => s.parentSpanId === null && !s.attributes["judgment.link.source_trace_id"]);
    expect(dataset.map((e) => e.get("offline_trace_id")).sort()).toEqual(roots.map((s) => s.traceId).sort());
    for (const example of dataset) {
      expect(example.get("offline_trace_id")).toMatch(/^[0-9a-f]{32}$/);
      expect(example.properties).toMatchObject({ input: "q1", expected: "a1" });
      const json = example.toJSON();
      expect(Object.keys(json).slice(0, 3)).toEqual(["example_id", "created_at", "name"]);
      expect(json.example_id).toBe(example.exampleId);
      expect(new Date(example.createdAt).toISOString()).toBe(example.createdAt);
    }
    expect(new Set(dataset.map((e) => e.exampleId)).size).toBe(4);
    await tracer.shutdown();
  });
});

describe("Judgeval client", () => {
  it("resolves the project once and makes offline tracers with its credentials; live and offline switch cleanly", async () => {
    const client = await Judgeval.create({ ...ctx.tracerConfig, projectName: "switching" });
    expect(client.projectId).toBe(ctx.backend.projectId("switching"));
    const resolves = () => ctx.backend.requests.filter((r) => r.path === "/v1/projects/resolve/").length;
    const before = resolves();
    const dataset: Example[] = [];
    const offline = client.offlineTracer({ dataset, exampleFields: { input: "x" }, setActive: false });
    expect(resolves()).toBe(before);

    const live = Tracer.init({ ...ctx.tracerConfig, projectName: "switching" });
    await live.ready;
    Tracer.span("live-span", () => undefined);
    expect(offline.setActive()).toBe(true);
    Tracer.span("offline-span", () => undefined);
    expect(live.setActive()).toBe(true);
    Tracer.span("live-again", () => undefined);
    expect(await Tracer.forceFlush()).toBe(true);

    const byEndpoint = (offlineFlag: boolean) =>
      ctx.backend
        .spans({ projectId: client.projectId, offline: offlineFlag })
        .map((s) => s.name)
        .sort();
    expect(byEndpoint(false)).toEqual(["live-again", "live-span"]);
    expect(byEndpoint(true)).toEqual(["offline-span"]);
    expect(dataset).toHaveLength(1);
    await offline.shutdown();
  });
});

describe("concurrent experiment runs", () => {
  it("100 runs, each with its own offline tracer and fields, give 100 examples tied to their own traces", async () => {
    const client = await Judgeval.create({ ...ctx.tracerConfig, projectName: "concurrent" });
    const dataset: Example[] = [];
    const agent = new Agent();
    const runs = Array.from({ length: 100 }, (_, i) => {
      const tracer = client.offlineTracer({ dataset, exampleFields: { item: i }, setActive: false });
      return tracer
        .run(() => agent.answer(`q${i}`))
        .then(async () => {
          expect(await tracer.forceFlush()).toBe(true);
          await tracer.shutdown();
        });
    });
    await Promise.all(runs);
    expect(dataset).toHaveLength(100);
    const spans = ctx.backend.spans({ projectId: client.projectId, offline: true });
    expect(spans).toHaveLength(200);
    for (const example of dataset) {
      const i = example.get("item") as number;
      const trace = spans.filter((s) => s.traceId === example.get("offline_trace_id"));
      expect(trace.map((s) => s.name).sort()).toEqual(["answer", "lookup"]);
      expect(JSON.parse(trace.find((s) => s.name === "answer")!.attributes["judgment.input"] as string)).toEqual({ question: `q${i}` });
    }
  });
});
