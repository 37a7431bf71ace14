/**
 * A trace belongs to the tracer that started it: requests in flight on a real HTTP server keep
 * their tracer while other code activates another tracer, an offline tracer, or shuts one down.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { OfflineTracer, Tracer, observe, type Example } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();
let seq = 0;
const project = (label: string) => `${label}-${process.pid}-${++seq}`;

/** A gate the test opens: requests wait on it mid-trace, so they are in flight while the test acts. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const child = observe(function child(n: number) {
  return n * 2;
});

/** A server whose handler opens a root span, waits at `gates[i]` and then makes a child span. */
async function serve(gates: Array<Promise<void>>, arrived: () => void): Promise<{ url: string; close: () => Promise<void> }> {
  const handle = observe(async function handle(i: number) {
    arrived();
    await gates[i];
    return child(i);
  });
  const server = http.createServer((req, res) => {
    const i = Number(new URL(req.url ?? "/", "http://x").searchParams.get("i"));
    void handle(i).then((v) => res.end(String(v)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Waits until `n` requests reached their gate. */
function counter(n: number): { arrived: () => void; all: Promise<void> } {
  let seen = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  return { arrived: () => ++seen === n && done(), all };
}

async function spansOf(tracer: Tracer): Promise<Array<{ name: string; traceId: string; parentSpanId: string | null; spanId: string }>> {
  expect(await tracer.forceFlush(10000)).toBe(true);
  return ctx.backend.spans({ projectId: tracer.projectId });
}

describe("a trace stays with the tracer that started it", () => {
  it("in-flight requests keep tracer A while B is initialised; later requests use B", async () => {
    const a = Tracer.init({ ...ctx.tracerConfig, projectName: project("a") });
    await a.ready;
    const gates = [gate(), gate(), gate(), gate()];
    const arrivals = counter(3);
    const server = await serve(
      gates.map((g) => g.wait),
      arrivals.arrived,
    );
    try {
      const inFlight = [0, 1, 2].map((i) => fetch(`${server.url}/?i=${i}`).then((r) => r.text()));
      await arrivals.all;
      const b = Tracer.init({ ...ctx.tracerConfig, projectName: project("b") });
      await b.ready;
      expect(b.isActive()).toBe(true);
      for (const g of gates.slice(0, 3)) g.open();
      expect(await Promise.all(inFlight)).toEqual(["0", "2", "4"]);
      gates[3].open();
      expect(await fetch(`${server.url}/?i=3`).then((r) => r.text())).toBe("6");

      const inA = await spansOf(a);
      const inB = await spansOf(b);
      // each in-flight trace is whole in A: three roots, three children under them
      const rootsA = inA.filter((s) => s.name === "handle");
      const childrenA = inA.filter((s) => s.name === "child");
      expect(rootsA).toHaveLength(3);
      expect(childrenA).toHaveLength(3);
      for (const c of childrenA) expect(rootsA.map((r) => r.spanId)).toContain(c.parentSpanId);
      // the request that started after B became active is B's, whole
      expect(inB.map((s) => s.name).sort()).toEqual(["child", "handle"]);
      expect(new Set(inB.map((s) => s.traceId)).size).toBe(1);
      expect(inB.map((s) => s.traceId)).not.toContain(rootsA[0].traceId);
    } finally {
      await server.close();
    }
  });

  it("setActive refuses only inside a root span of the current tracer", async () => {
    const a = Tracer.init({ ...ctx.tracerConfig, projectName: project("a") });
    const b = Tracer.init({ ...ctx.tracerConfig, projectName: project("b"), setActive: false });
    await Promise.all([a.ready, b.ready]);
    const results: boolean[] = [];
    const warnings = await captureWarnings(() =>
      observe(async function root() {
        results.push(b.setActive()); // a root span of the active tracer A: refused
        await observe(async function nested() {
          results.push(b.setActive()); // a child span: allowed, and this trace stays with A
          child(1);
        })();
      })(),
    );
    expect(results).toEqual([false, true]);
    expect(warnings).toEqual([
      "[judgeval] setActive refused: a root span of the active tracer is in progress in this context; call it outside that span.",
    ]);
    const inA = await spansOf(a);
    expect(inA.map((s) => s.name).sort()).toEqual(["child", "nested", "root"]);
    expect((await spansOf(b)).length).toBe(0);
  });

  it("tracer.run scopes a tracer to concurrent work", async () => {
    const a = Tracer.init({ ...ctx.tracerConfig, projectName: project("a"), setActive: false });
    const b = Tracer.init({ ...ctx.tracerConfig, projectName: project("b"), setActive: false });
    await Promise.all([a.ready, b.ready]);
    const work = observe(async function work(label: string) {
      await new Promise((r) => setImmediate(r));
      return child(label.length);
    });
    await Promise.all([a.run(() => work("a1")), b.run(() => work("b1")), a.run(() => work("a2")), b.run(() => work("b2"))]);
    const inA = await spansOf(a);
    const inB = await spansOf(b);
    expect(inA.filter((s) => s.name === "work")).toHaveLength(2);
    expect(inB.filter((s) => s.name === "work")).toHaveLength(2);
    expect(inA.filter((s) => s.name === "child")).toHaveLength(2);
    expect(inB.filter((s) => s.name === "child")).toHaveLength(2);
  });

  it("shutting down the active tracer restores the one active before it", async () => {
    const a = Tracer.init({ ...ctx.tracerConfig, projectName: project("a") });
    const b = Tracer.init({ ...ctx.tracerConfig, projectName: project("b") });
    await Promise.all([a.ready, b.ready]);
    await b.shutdown();
    expect(a.isActive()).toBe(true);
    expect(b.isActive()).toBe(false);
    child(21);
    expect((await spansOf(a)).map((s) => s.name)).toEqual(["child"]);
  });
});

describe("an offline tracer beside a live server", () => {
  it("does not take over in-flight live requests, and its shutdown gives live tracing back", async () => {
    const live = Tracer.init({ ...ctx.tracerConfig, projectName: project("live") });
    await live.ready;
    const gates = [gate(), gate(), gate()];
    const arrivals = counter(2);
    const server = await serve(
      gates.map((g) => g.wait),
      arrivals.arrived,
    );
    try {
      const inFlight = [0, 1].map((i) => fetch(`${server.url}/?i=${i}`).then((r) => r.text()));
      await arrivals.all;
      const dataset: Example[] = [];
      const offline = await OfflineTracer.create({ ...ctx.tracerConfig, projectName: live.projectName, dataset });
      for (const g of gates.slice(0, 2)) g.open();
      await Promise.all(inFlight);
      // the experiment's own run is offline
      await observe(async function experiment() {
        return child(5);
      })();
      expect(dataset).toHaveLength(1);
      await offline.shutdown();
      expect(live.isActive()).toBe(true);
      gates[2].open();
      await fetch(`${server.url}/?i=2`);

      expect(await live.forceFlush(10000)).toBe(true);
      const liveSpans = ctx.backend.spans({ projectId: live.projectId, offline: false });
      const offlineSpans = ctx.backend.spans({ projectId: live.projectId, offline: true });
      expect(liveSpans.filter((s) => s.name === "handle")).toHaveLength(3);
      expect(liveSpans.filter((s) => s.name === "child")).toHaveLength(3);
      expect(offlineSpans.map((s) => s.name).sort()).toEqual(["child", "experiment"]);
      expect(dataset[0].get("offline_trace_id")).toBe(offlineSpans[0].traceId);
    } finally {
      await server.close();
    }
  });
});
