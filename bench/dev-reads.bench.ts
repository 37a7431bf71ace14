/**
 * `judgeval dev` reads while ingest goes on: for each request the viewer makes and each query route (trace list pages,
 * text search, filters, sessions, experiments, projects, stats, a 50,000-span trace page by page and in one large
 * page, one span, the legacy list and trace), readers repeat it while one client sends 10-span ingest requests one
 * after another; then all routes at once. Reports per route the read latency (p50, p99), the longest event-loop hold
 * of the backend (perf_hooks.monitorEventLoopDelay) and the most CPU time the backend spent between two ticks of a 2 ms
 * timer (on a shared machine the first also counts time waiting for a core), and ingest latency meanwhile. Needs
 * `npm run build`. The store is built through the store's own write path (not HTTP), about 15,000 spans/s.
 *
 *   node -r ./bench/lib/ts-source.js bench/dev-reads.bench.ts                                # 200,000 spans + a 50,000-span trace
 *   BENCH_READS_SPANS=4950000 BENCH_READS_DIR=/path node -r ./bench/lib/ts-source.js bench/dev-reads.bench.ts  # 5M, kept
 *
 * BENCH_READS_DIR reuses (or keeps) the store there. BENCH_READS_INGESTS (default 50) sets the ingest requests timed per
 * route, BENCH_READS_READERS (10) the readers, BENCH_READS_ONLY (e.g. "1,3") the routes run, BENCH_READS_DIST another
 * build of dist/ to compare against.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeSpans, T0 } from "../spec/support/otlp-fixtures.js";
import { buildStore } from "./lib/dev-reads-store.js";

const TOTAL = Number(process.env["BENCH_READS_SPANS"] ?? 200_000);
const BIG_TRACE = 50_000;
const READERS = Number(process.env["BENCH_READS_READERS"] ?? 10);
const INGESTS = Number(process.env["BENCH_READS_INGESTS"] ?? 50);

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as T));
    child.send(message);
  });
}

function quantiles(times: number[]): string {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)];
  return `p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const keep = process.env["BENCH_READS_DIR"];
  const dataPath = keep ?? mkdtempSync(join(tmpdir(), "judgeval-reads-bench-"));
  const idFile = join(dataPath, "big-trace-id");
  let bigId: string;
  if (existsSync(idFile)) bigId = readFileSync(idFile, "utf8");
  else {
    const t = performance.now();
    bigId = await buildStore(dataPath, TOTAL, BIG_TRACE);
    writeFileSync(idFile, bigId);
    console.log(`built ${TOTAL + BIG_TRACE} spans in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const child = fork(join(__dirname, "lib", "dev-reads-proc.js"), [dataPath], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  child.on("message", () => undefined);
  const info = await new Promise<{ url: string; apiKey: string; organizationId: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { url: string; apiKey: string; organizationId: string }));
    child.once("exit", (code) => reject(new Error(`backend exited ${code}`)));
  });
  try {
    const resolved = await fetch(`${info.url}/v1/projects/resolve/`, {
      method: "POST",
      headers: { authorization: `Bearer ${info.apiKey}`, "x-organization-id": info.organizationId, "content-type": "application/json" },
      body: JSON.stringify({ project_name: "bench" }),
    });
    const projectId = ((await resolved.json()) as { project_id: string }).project_id;
    const ingestOnce = async (): Promise<number> => {
      const traceId = randomBytes(16).toString("hex");
      const spans = Array.from({ length: 10 }, (_, i) => ({
        traceId,
        spanId: randomBytes(8).toString("hex"),
        name: `s${i}`,
        start: T0,
        end: T0 + 1000n,
      }));
      const t = performance.now();
      const res = await fetch(`${info.url}/otel/v1/traces`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${info.apiKey}`,
          "x-organization-id": info.organizationId,
          "x-project-id": projectId,
          "content-type": "application/x-protobuf",
        },
        body: Buffer.from(encodeSpans(spans)),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
      return performance.now() - t;
    };
    const ingest = async (): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < INGESTS; i++) times.push(await ingestOnce());
      return times;
    };
    await ask(child, "delay");
    console.log(
      `idle: ingest ${quantiles(await ingest())}; longest event-loop hold ${(await ask<{ maxMs: number }>(child, "delay")).maxMs.toFixed(0)} ms`,
    );
    const outline = await getJson<{ spans: { spanId: string }[] }>(info.url, `/api/v1/traces/${bigId}?limit=1`);
    const spanId = outline.spans[0].spanId;
    const api = (path: string): Read => [path, () => read(info.url, path)];
    // Every request the viewer makes and every query route, each alone under ingest, then all of them at once.
    const routes: Read[] = [
      api("/api/v1/traces?limit=50"),
      api("/api/v1/traces?limit=1000"),
      api("/api/v1/traces?limit=50&q=answer%2099"),
      api("/api/v1/traces?limit=50&q=no-such-text"),
      api("/api/v1/traces?limit=50&name=agent-7&status=ok"),
      api("/api/v1/traces?limit=50&tag=none&offline=false"),
      api("/api/v1/traces?session=s-7&limit=1000"),
      api("/api/v1/sessions"),
      api("/api/v1/sessions?projectId=p-3"),
      api("/api/v1/experiments"),
      api("/api/v1/projects"),
      api("/api/v1/stats"),
      [`/api/v1/traces/{${BIG_TRACE}-span trace}, every page`, () => viewerTrace(info.url, bigId)],
      api(`/api/v1/traces/${bigId}?limit=10000`),
      api(`/api/v1/traces/${bigId}/spans/${spanId}`),
      api("/api/traces?limit=5000"),
      api(`/api/traces/${bigId}`),
    ];
    const scenarios: [string, Read[]][] = [...routes.map((r): [string, Read[]] => [r[0], [r]]), ["all of the above at once", routes]];
    const only = process.env["BENCH_READS_ONLY"];
    const rows: string[] = [];
    for (const [name, reads] of scenarios.filter(([,], i) => only === undefined || only.split(",").includes(String(i + 1)))) {
      let stop = false;
      const times: number[] = [];
      let failed = 0;
      const readers = Array.from({ length: READERS }, async (_, r) => {
        for (let i = r; !stop; i++) {
          const t = performance.now();
          // A read the server gave up on (a reset socket) is counted, not fatal: that is part of what is measured.
          await reads[i % reads.length][1]().then(
            () => times.push(performance.now() - t),
            () => (failed += 1),
          );
        }
      });
      const ingestTimes = await ingest();
      stop = true;
      await Promise.all(readers);
      const { maxMs, p99Ms, cpuHoldMs } = await ask<{ maxMs: number; p99Ms: number; cpuHoldMs: number }>(child, "delay");
      const label = name.replace(bigId, "{big}").replace(spanId, "{span}");
      rows.push(
        `| \`${label}\` | ${times.length} | ${q(times, 0.5)} | ${q(times, 0.99)} | ${maxMs.toFixed(0)} | ${p99Ms.toFixed(0)} | ${cpuHoldMs.toFixed(0)} | ${q(ingestTimes, 0.5)} | ${q(ingestTimes, 0.99)} |${failed ? ` ${failed} failed` : ""}`,
      );
      console.log(rows[rows.length - 1]);
    }
    console.log(
      [
        `\n${READERS} readers per route while one client ingests 10-span requests (${INGESTS} timed); times in ms:`,
        "| route | reads | read p50 | read p99 | longest event-loop hold | loop delay p99 | longest CPU hold | ingest p50 | ingest p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...rows,
      ].join("\n"),
    );
  } finally {
    child.send("close");
    await new Promise((r) => child.once("exit", r));
    if (!keep) rmSync(dataPath, { recursive: true, force: true });
  }
}

type Read = [name: string, run: () => Promise<void>];

function q(times: number[], p: number): string {
  if (times.length === 0) return "-";
  const s = [...times].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)].toFixed(1);
}

async function read(url: string, path: string): Promise<void> {
  const res = await fetch(`${url}${path}`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
}

async function getJson<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/** What the viewer's trace page fetches: the outline, page by page when the API pages it. */
async function viewerTrace(url: string, traceId: string): Promise<void> {
  let cursor: string | null = "";
  while (cursor !== null) {
    const path: string = `/api/v1/traces/${traceId}${cursor ? `?cursor=${cursor}` : ""}`;
    const res = await fetch(`${url}${path}`);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    cursor = ((await res.json()) as { nextCursor?: string | null }).nextCursor ?? null;
  }
}

void main();
