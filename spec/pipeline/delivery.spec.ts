import { mkdtempSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();
// Short retry delays; a request timeout long enough for a loaded machine (only a stopped backend should fail).
const fast = { exportTimeoutMillis: 5000, retry: { initialDelayMillis: 20, maxDelayMillis: 100 } };
const work = observe(function work(i: number) {
  return i;
});

afterEach(() => ctx.backend.clearFaults());

describe("delivery under faults", () => {
  it("backend down for a while, then up: 0 spans lost", async () => {
    const tracer = await projectTracer(ctx, { ...fast, maxExportBatchSize: 100 });
    await ctx.backend.stop();
    for (let i = 0; i < 1000; i++) work(i);
    expect(await tracer.forceFlush(300)).toBe(false);
    await ctx.backend.restart();
    expect(await tracer.forceFlush(15000)).toBe(true);
    const spans = ctx.backend.spans({ projectId: tracer.projectId });
    expect(spans).toHaveLength(1000);
    expect(new Set(spans.map((s) => s.attributes["judgment.input"])).size).toBe(1000);
  });

  it("requests in flight together each keep their own bytes, through retries too", async () => {
    // small batches: the batcher starts several requests in one turn, so they are in flight together
    const tracer = await projectTracer(ctx, { ...fast, maxExportBatchSize: 64 });
    ctx.backend.injectFault({ route: "ingest", status: 503, times: 5 });
    const echo = observe(function echo(i: number, pad: string) {
      return `${i}:${pad}`;
    });
    for (let i = 0; i < 3000; i++) echo(i, "x".repeat(i % 97));
    expect(await tracer.forceFlush(15000)).toBe(true);
    const spans = ctx.backend.spans({ projectId: tracer.projectId });
    expect(spans).toHaveLength(3000);
    for (const span of spans) {
      const { i, pad } = JSON.parse(span.attributes["judgment.input"] as string) as { i: number; pad: string };
      expect(pad).toBe("x".repeat(i % 97));
      expect(span.attributes["judgment.output"]).toBe(JSON.stringify(`${i}:${pad}`));
    }
    const ingests = ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId);
    expect(ingests.filter((r) => r.status === 503)).toHaveLength(5);
    expect(ingests.every((r) => r.status === 200 || r.status === 503)).toBe(true);
  });

  it("503 bursts are retried until delivered", async () => {
    const tracer = await projectTracer(ctx, fast);
    ctx.backend.injectFault({ route: "ingest", status: 503, times: 4 });
    for (let i = 0; i < 10; i++) work(i);
    expect(await received(ctx, tracer)).toHaveLength(10);
    const ingests = ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId);
    expect(ingests.map((r) => r.status)).toEqual([503, 503, 503, 503, 200]);
  });

  it("429 with Retry-After is honoured", async () => {
    const tracer = await projectTracer(ctx, { exportTimeoutMillis: 5000 });
    ctx.backend.injectFault({ route: "ingest", status: 429, retryAfterSeconds: 1, times: 1 });
    work(1);
    expect(await received(ctx, tracer)).toHaveLength(1);
    const [first, second] = ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId);
    expect([first.status, second.status]).toEqual([429, 200]);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it("a 4xx other than 408/429 is not retried", async () => {
    const tracer = await projectTracer(ctx, fast);
    ctx.backend.injectFault({ route: "ingest", status: 401, times: 1 });
    work(1);
    expect(await tracer.forceFlush()).toBe(false);
    expect(ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId)).toHaveLength(1);
  });

  it("the bounded queue counts overflow and warns once per interval", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const tracer = await projectTracer(ctx, { maxQueueSize: 50, maxExportBatchSize: 50, exportIntervalMillis: 60000 });
      await ctx.backend.stop();
      for (let i = 0; i < 200; i++) work(i);
      await ctx.backend.restart();
      await tracer.forceFlush(10000);
      Tracer.span("after", () => undefined);
      await tracer.forceFlush(10000);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/dropped 150 spans: the export queue was full \(maxQueueSize 50\)/),
      ]);
      expect(ctx.backend.spans({ projectId: tracer.projectId }).length).toBe(51);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("a full queue with a spool directory", () => {
  /** 200 spans through a 50-span queue while the backend is down, then up again; the warnings logged. */
  async function overflow(spoolDir: string): Promise<{ warnings: string[]; delivered: number; flushed: boolean }> {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const tracer = await projectTracer(ctx, { maxQueueSize: 50, maxExportBatchSize: 50, exportIntervalMillis: 60000, spoolDir });
      await ctx.backend.stop();
      for (let i = 0; i < 200; i++) work(i);
      await ctx.backend.restart();
      const flushed = await tracer.forceFlush(10000);
      await tracer.shutdown(10000);
      const delivered = new Set(ctx.backend.spans({ projectId: tracer.projectId }).map((s) => s.attributes["judgment.input"])).size;
      return { warnings: warn.mock.calls.map((c) => String(c[0])), delivered, flushed };
    } finally {
      warn.mockRestore();
    }
  }

  it("spans beyond the queue go to disk at once and are delivered when the backend is back: none dropped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "judgeval-overflow-"));
    expect(await overflow(dir)).toEqual({ warnings: [], delivered: 200, flushed: true });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a spool at its quota refuses the newest spans, counted and reported; what it holds stays", async () => {
    const dir = mkdtempSync(join(tmpdir(), "judgeval-overflow-"));
    // another project's 512 MiB (a sparse file: no real disk) fill the directory's quota
    const other = join(dir, "otel%2Fv1%2Ftraces~another~0-00000000.otlp");
    writeFileSync(other, "");
    truncateSync(other, 512 * 2 ** 20);
    const { warnings, delivered } = await overflow(dir);
    expect(warnings).toEqual(["[judgeval] dropped 150 spans: the spool directory is full (quota 512 MiB)."]);
    expect(delivered).toBe(50);
    expect(readdirSync(dir)).toEqual([basename(other)]);
  });
});
