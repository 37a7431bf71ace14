/**
 * `judgeval dev` reads while ingest goes on: ten clients repeat heavy reads (a 50,000-span trace as the viewer opens
 * it; the trace list, sessions and experiments of a large store; the legacy list and trace endpoints) while one
 * client sends 10-span ingest requests one after another. Reports ingest latency (p50, p99, max) idle and busy, and
 * the longest event-loop hold of the backend (perf_hooks.monitorEventLoopDelay) in each phase. Needs `npm run build`.
 *
 *   node -r ./bench/lib/ts-source.js bench/dev-reads.bench.ts                                # 200,000 spans + a 50,000-span trace
 *   BENCH_READS_SPANS=2000000 node -r ./bench/lib/ts-source.js bench/dev-reads.bench.ts      # larger (generation ~25k spans/s)
 *   BENCH_READS_DIR=/path node -r ./bench/lib/ts-source.js bench/dev-reads.bench.ts          # reuse (or keep) the store there
 *
 * BENCH_READS_INGESTS (default 50) sets the ingest requests timed per phase, BENCH_READS_READERS (10) the readers,
 * BENCH_READS_ONLY (e.g. "1,3") the scenarios run, BENCH_READS_DIST another build of dist/ to compare against.
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
    const read = async (path: string): Promise<void> => {
      const res = await fetch(`${info.url}${path}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    };
    await ask(child, "delay");
    console.log(
      `idle: ingest ${quantiles(await ingest())}; longest event-loop hold ${(await ask<{ maxMs: number }>(child, "delay")).maxMs.toFixed(0)} ms`,
    );

    const scenarios: [string, (() => Promise<void>)[]][] = [
      [`viewer opening the ${BIG_TRACE}-span trace`, [() => viewerTrace(info.url, bigId)]],
      [
        "large store: list, search, sessions, experiments",
        [
          () => read("/api/v1/traces?limit=1000"),
          () => read("/api/v1/traces?limit=50&q=answer%2099"),
          () => read("/api/v1/sessions"),
          () => read("/api/v1/experiments"),
        ],
      ],
      ["legacy: /api/traces?limit=5000 and /api/traces/{big}", [() => read("/api/traces?limit=5000"), () => read(`/api/traces/${bigId}`)]],
    ];
    const only = process.env["BENCH_READS_ONLY"];
    for (const [name, reads] of scenarios.filter(([,], i) => only === undefined || only.split(",").includes(String(i + 1)))) {
      let stop = false;
      let done = 0;
      let failed = 0;
      const readers = Array.from({ length: READERS }, async (_, r) => {
        for (let i = r; !stop; i++) {
          // A read the server gave up on (a reset socket) is counted, not fatal: that is part of what is measured.
          await reads[i % reads.length]().then(
            () => (done += 1),
            () => (failed += 1),
          );
        }
      });
      const times = await ingest();
      stop = true;
      await Promise.all(readers);
      const { maxMs } = await ask<{ maxMs: number }>(child, "delay");
      console.log(
        `${READERS} readers, ${name}: ingest ${quantiles(times)}; longest event-loop hold ${maxMs.toFixed(0)} ms; ${done} reads, ${failed} failed`,
      );
    }
  } finally {
    child.send("close");
    await new Promise((r) => child.once("exit", r));
    if (!keep) rmSync(dataPath, { recursive: true, force: true });
  }
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
