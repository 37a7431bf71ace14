import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";

const ctx = useBackend();
const TOTAL = 300_000;
const CHUNK = 1000;
const MiB = 2 ** 20;

const work = observe(function work(i: number) {
  return i;
});
const turn = () => new Promise((r) => setImmediate(r));
// live heap, garbage collected first: what the process holds, not what it has not yet freed
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const spooled = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".otlp")).length;

describe("an outage flood with a spool directory", () => {
  it("300,000 spans while every export fails: what the queue cannot hold goes to disk at once, heap bounded; all delivered once the backend is back", async () => {
    const projectName = `flood-${process.pid}`;
    const dir = mkdtempSync(join(tmpdir(), "judgeval-flood-"));
    const tracer = Tracer.init({ ...ctx.tracerConfig, projectName, spoolDir: dir, setActive: false });
    await tracer.ready;
    ctx.backend.injectFault({ route: "ingest", status: 503, times: Infinity });

    const baseline = liveHeap();
    const live: number[] = [];
    for (let i = 0; i < TOTAL; i += CHUNK) {
      tracer.run(() => {
        for (let j = i; j < i + CHUNK; j++) work(j);
      });
      await turn();
      if ((i + CHUNK) % (TOTAL / 6) === 0) live.push(liveHeap());
    }
    // the queue (20,480 spans) is full and nothing went out: the rest is on disk already,
    // long before the retries' 300 s are up
    const filesDuringOutage = spooled(dir);
    expect(filesDuringOutage).toBeGreaterThan(0);
    expect(ctx.backend.counters.acceptedSpans).toBe(0);
    // the queue's 20,480 spans are held, no more: from a third of the flood on the live heap
    // stays flat (300,000 spans held in memory would take several hundred MiB)
    const growth = (Math.max(...live) - baseline) / MiB;
    const drift = (Math.max(...live.slice(2)) - live[1]) / MiB;
    expect(growth).toBeLessThan(64);
    expect(drift).toBeLessThan(8);

    ctx.backend.clearFaults();
    // the flush retries the waiting batches now, then re-sends the spool
    expect(await tracer.forceFlush(600000)).toBe(true);
    expect(spooled(dir)).toBe(0);
    await tracer.shutdown(60000);

    const delivered = ctx.backend.counters.acceptedSpans;
    const stored = ctx.backend.spans({ projectId: ctx.backend.projectId(projectName) });
    const distinct = new Set(stored.map((s) => s.attributes["judgment.input"])).size;
    console.log(
      `outage flood: ${TOTAL} spans, ${filesDuringOutage} spool files during the outage, live heap +${growth.toFixed(1)} MiB (${live.map((b) => ((b - baseline) / MiB).toFixed(1)).join(", ")} at each sixth), delivered ${delivered}, distinct ${distinct}`,
    );
    expect({ delivered, distinct }).toEqual({ delivered: TOTAL, distinct: TOTAL });
  }, 900000);
});
