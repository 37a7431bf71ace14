/**
 * `judgeval dev` store at scale: ingest rate through the real HTTP path
 * (OTLP/protobuf, 1,000 spans per request encoded before the timed part, 4 in
 * flight on keep-alive connections — BENCH_DEV_IN_FLIGHT changes it), resident memory while
 * holding N spans, trace-list and filtered query latency over HTTP, and restart
 * time (process start to listening, then the first list). Needs `npm run build`.
 *
 *   node -r ./bench/lib/ts-source.js bench/dev-store.bench.ts            # N = 100,000 (fits the 120 s of `npm run bench` extras)
 *   BENCH_DEV_SPANS=5000000 node -r ./bench/lib/ts-source.js bench/dev-store.bench.ts   # the 5M target (long)
 *
 * Targets (issue 15): ingest >= 100k spans/s, RSS <= 300 MB, list and filtered
 * queries <= 50 ms, restart <= 2 s — at 5M spans.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { traceRequestType } from "../spec/support/otlpTraceSchema.js";

const TOTAL = Number(process.env["BENCH_DEV_SPANS"] ?? 100_000);
const PER_REQUEST = 1000;
const SPANS_PER_TRACE = 10;
const IN_FLIGHT = Number(process.env["BENCH_DEV_IN_FLIGHT"] ?? 4);
const PROJECTS = 8;

interface Info {
  url: string;
  apiKey: string;
  organizationId: string;
  startMs: number;
  storage: string;
}

function startBackend(dataPath: string): Promise<{ child: ChildProcess; info: Info }> {
  const child = fork(join(__dirname, "lib", "dev-store-proc.js"), [dataPath], {
    execArgv: process.env["BENCH_DEV_PROF"] ? ["--cpu-prof", `--cpu-prof-dir=${process.env["BENCH_DEV_PROF"]}`] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // A standing listener keeps the IPC channel referenced between questions.
  child.on("message", () => undefined);
  return new Promise((resolve, reject) => {
    child.once("message", (info) => resolve({ child, info: info as Info }));
    child.once("exit", (code) => reject(new Error(`backend exited ${code}`)));
  });
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as T));
    child.send(message);
  });
}

const type = traceRequestType;
const kv = (key: string, value: string | number): object => ({
  key,
  value: typeof value === "number" ? { intValue: value } : { stringValue: value },
});

/**
 * One request: 100 traces of 10 spans, agent → llm/tool children, a session on every 7th trace, an error on every 50th
 * (every 20th request is sent as an experiment's: offline traces).
 */
function body(batch: number): Uint8Array {
  const spans: object[] = [];
  const base = 1_764_000_000_000_000_000n + BigInt(batch) * 1_000_000_000n;
  for (let t = 0; t < PER_REQUEST / SPANS_PER_TRACE; t++) {
    const traceId = randomBytes(16);
    const root = randomBytes(8);
    const n = batch * 100 + t;
    for (let i = 0; i < SPANS_PER_TRACE; i++) {
      const start = base + BigInt(t * 10_000_000 + i * 100_000);
      const attributes = [
        kv("judgment.span_kind", i === 0 ? "agent" : i % 3 === 0 ? "llm" : "tool"),
        kv("judgment.input", `{"question":"order ${n} step ${i}","context":"${"lorem ipsum ".repeat(8)}"}`),
        kv("judgment.output", `"answer ${n}.${i}"`),
        kv("judgment.update_id", 1),
        ...(n % 7 === 0 ? [kv("judgment.session_id", `s-${n % 1000}`)] : []),
        ...(i % 3 === 0 && i > 0 ? [kv("judgment.usage.non_cached_input_tokens", 120), kv("judgment.usage.output_tokens", 30)] : []),
      ];
      spans.push({
        traceId,
        spanId: i === 0 ? root : randomBytes(8),
        parentSpanId: i === 0 ? undefined : root,
        name: i === 0 ? `agent-${n % 50}` : `step-${i}`,
        kind: 1,
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + 50_000n).toString(),
        attributes,
        status: n % 50 === 0 && i === 1 ? { code: 2 } : undefined,
      });
    }
  }
  return type
    .encode(
      type.fromObject({
        resourceSpans: [{ resource: { attributes: [kv("service.name", "bench")] }, scopeSpans: [{ scope: { name: "judgeval" }, spans }] }],
      }),
    )
    .finish();
}

const QUERY_RUNS = 21;

/** Median and 95th percentile of `runs` timings of `fn`. */
async function percentiles(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[times.length >> 1], p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] };
}

const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

async function main(): Promise<void> {
  const dataPath = mkdtempSync(join(tmpdir(), "judgeval-dev-bench-"));
  try {
    let { child, info } = await startBackend(dataPath);
    const headers = (project: number): Record<string, string> => ({
      authorization: `Bearer ${info.apiKey}`,
      "x-organization-id": info.organizationId,
      "content-type": "application/x-protobuf",
      "x-project-id": "",
      "x-project-name": `bench-${project}`,
    });
    const projectIds: string[] = [];
    for (let p = 0; p < PROJECTS; p++) {
      const res = await fetch(`${info.url}/v1/projects/resolve/`, {
        method: "POST",
        headers: { ...headers(p), "content-type": "application/json" },
        body: JSON.stringify({ project_name: `bench-${p}` }),
      });
      projectIds.push(((await res.json()) as { project_id: string }).project_id);
    }
    const requests = Math.ceil(TOTAL / PER_REQUEST);
    // Bodies are encoded ahead of each window so encoding is not timed as ingest.
    let ingestMs = 0;
    const cpuBefore = (await ask<{ cpu: NodeJS.CpuUsage }>(child, "cpu")).cpu;
    for (let done = 0; done < requests;) {
      const window = Array.from({ length: Math.min(IN_FLIGHT * 8, requests - done) }, (_, i) => body(done + i));
      const t = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < window.length) {
            const i = next++;
            // Every 20th request is an experiment's (offline traces), for the experiments view.
            const res = await fetch(`${info.url}/otel/v1/${(done + i) % 20 === 19 ? "offline-traces" : "traces"}`, {
              method: "POST",
              headers: { ...headers(0), "x-project-id": projectIds[(done + i) % PROJECTS] },
              body: new Uint8Array(window[i]),
            });
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
          }
        }),
      );
      ingestMs += performance.now() - t;
      done += window.length;
    }
    const stored = requests * PER_REQUEST;
    // The backend's own CPU time for the ingest: the figure that does not depend on what else the machine runs.
    const ingestCpuMs = cpuMs((await ask<{ cpu: NodeJS.CpuUsage }>(child, "cpu")).cpu) - cpuMs(cpuBefore);
    const { rss } = await ask<{ rss: number }>(child, "rss");
    const get = (path: string) => async (): Promise<unknown> => {
      const res = await fetch(`${info.url}${path}`);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      return res.json();
    };
    const page1 = (await get("/api/v1/traces?limit=50")()) as { nextCursor: string };
    const queries: [string, string][] = [
      ["trace list, first page (50)", "/api/v1/traces?limit=50"],
      ["trace list, second page (cursor)", `/api/v1/traces?limit=50&cursor=${page1.nextCursor}`],
      ["filter: project", "/api/v1/traces?limit=50&project=bench-3"],
      ["filter: status=error", "/api/v1/traces?limit=50&status=error"],
      ["filter: session", "/api/v1/traces?limit=50&session=s-14"],
      ["filter: root name + kind", "/api/v1/traces?limit=50&name=agent-7&kind=agent"],
      ["filter: time range (1 minute)", `/api/v1/traces?limit=50&from=${1_764_000_000_000 + 60_000}&to=${1_764_000_000_000 + 120_000}`],
      ["search: common text (q=answer)", "/api/v1/traces?limit=50&q=answer"],
      ["sessions", "/api/v1/sessions"],
      ["experiments", "/api/v1/experiments"],
    ];
    const latencies: [string, { p50: number; p95: number }][] = [];
    for (const [name, path] of queries) latencies.push([name, await percentiles(QUERY_RUNS, get(path))]);
    const dbBytes = statSync(join(dataPath, "judgeval-dev.sqlite")).size;

    const exited = new Promise((r) => child.once("exit", r));
    child.send("close");
    await exited;
    const restartStart = performance.now();
    ({ child, info } = await startBackend(dataPath));
    await get("/api/v1/traces?limit=50")();
    const restartMs = performance.now() - restartStart;
    const restartRss = (await ask<{ rss: number }>(child, "rss")).rss;
    child.kill();

    const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      `judgeval dev store (${info.storage}), ${stored.toLocaleString("en-US")} spans in ${(stored / SPANS_PER_TRACE).toLocaleString("en-US")} traces, ${PROJECTS} projects`,
    );
    const rate = (ms: number): string => Math.round((stored / ms) * 1000).toLocaleString("en-US");
    console.log(
      `  ingest through HTTP: ${rate(ingestMs)} spans/s wall, ${rate(ingestCpuMs)} spans per backend CPU-second (${PER_REQUEST} spans per request, ${IN_FLIGHT} in flight)`,
    );
    console.log(`  backend RSS holding them: ${mb(rss)} (database file ${mb(dbBytes)})`);
    for (const [name, { p50, p95 }] of latencies) {
      console.log(`  ${name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${QUERY_RUNS} runs, over HTTP)`);
    }
    console.log(`  restart (process start to listening, then the first list): ${restartMs.toFixed(0)} ms; RSS after: ${mb(restartRss)}`);
  } finally {
    rmSync(dataPath, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
