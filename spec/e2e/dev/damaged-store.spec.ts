import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describeWithSqlite, openSqlite } from "../../support/optional-deps.js";
import { encodeSpans, newSpanId, newTraceId, T0, ms } from "../../support/otlp-fixtures.js";

const root = resolve(__dirname, "../../..");
const bin = join(root, "bin/judgeval.js");
const FILE = "judgeval-dev.sqlite";
const TRACES = 1500;

/** `judgeval dev` on `data` in a child process, once it prints its banner; `stderr()` is what it wrote there so far. */
async function startDev(
  data: string,
): Promise<{ url: string; stderr(): string; waitForErr(text: string): Promise<void>; stop(): Promise<void> }> {
  if (!existsSync(join(root, "dist/cjs/dev/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, "dev", "--port", "0", "--data", data]);
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  child.stderr.on("data", (chunk: string) => (err += chunk));
  const exit = once(child, "exit");
  const until = async (stream: NodeJS.ReadableStream, done: () => boolean): Promise<void> => {
    while (!done())
      await Promise.race([once(stream, "data"), exit.then(() => Promise.reject(new Error(`judgeval dev exited: ${out}${err}`)))]);
  };
  await until(child.stdout, () => out.includes("Ctrl-C to stop."));
  return {
    url: /api url\s+(\S+)/.exec(out)![1],
    stderr: () => err,
    waitForErr: (text) => until(child.stderr, () => err.includes(text)),
    async stop() {
      child.kill("SIGINT");
      await exit;
    },
  };
}

const CREDENTIALS = { authorization: "Bearer local-dev-key", "x-organization-id": "local-dev-org" };

/** Sends one root span, as the SDK would, under project "damage". */
async function post(url: string, traceId: string, name: string, at = 0): Promise<Response> {
  const resolved = await fetch(`${url}/v1/projects/resolve/`, {
    method: "POST",
    headers: { ...CREDENTIALS, "content-type": "application/json" },
    body: JSON.stringify({ project_name: "damage" }),
  });
  const { project_id } = (await resolved.json()) as { project_id: string };
  const body = encodeSpans([{ traceId, spanId: newSpanId(), name, start: T0 + ms(at), end: T0 + ms(at + 1) }]);
  return fetch(`${url}/otel/v1/traces`, {
    method: "POST",
    headers: { ...CREDENTIALS, "x-project-id": project_id, "content-type": "application/x-protobuf" },
    body: Buffer.from(body),
  });
}

/** Every trace id of the list, page by page. */
async function listAll(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = ""; cursor !== null;) {
    const res = await fetch(`${url}/api/v1/traces?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { traces: { traceId: string }[]; nextCursor: string | null };
    ids.push(...page.traces.map((t) => t.traceId));
    cursor = page.nextCursor;
  }
  return ids;
}

/** Overwrites one page of `file` with garbage: a leaf of `btree` (`pick` chooses which, in key order). */
function damagePage(file: string, btree: string, pick: (leaves: number) => number): void {
  const db = openSqlite(file);
  const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").all(btree) as {
    pageno: number;
  }[];
  const pageSize = Number((db.prepare("PRAGMA page_size").get() as { page_size: number }).page_size);
  db.close();
  const page = leaves[pick(leaves.length)].pageno;
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

describeWithSqlite("judgeval dev on a damaged database (child processes)", () => {
  let dir: string;
  const ids: string[] = [];
  /** A fresh copy of the store the tests start from, in its own data directory. */
  const copyOfStore = (name: string): string => {
    mkdirSync(join(dir, name));
    copyFileSync(join(dir, "store", FILE), join(dir, name, FILE));
    return join(dir, name);
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "judgeval-damage-"));
    const dev = await startDev(join(dir, "store"));
    try {
      for (let i = 0; i < TRACES; i += 100) {
        const batch = Array.from({ length: 100 }, () => newTraceId());
        ids.push(...batch);
        const statuses = await Promise.all(batch.map((id, j) => post(dev.url, id, `root-${i}`, i + j).then((r) => r.status)));
        expect(new Set(statuses)).toEqual(new Set([200]));
      }
    } finally {
      await dev.stop();
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says so at start, serves what it can read past a damaged page and a damaged row, and keeps ingesting", async () => {
    const data = copyOfStore("data");
    // A page in the middle of the list's index, and a row whose stored content is not JSON.
    damagePage(join(data, FILE), "traces_start", (n) => n >> 1);
    const db = openSqlite(join(data, FILE));
    db.prepare("UPDATE spans SET body = '{not json' WHERE tid = (SELECT tid FROM traces WHERE trace_id = ?)").run(ids[0]);
    db.close();

    const dev = await startDev(data);
    try {
      await dev.waitForErr("integrity check");
      expect(dev.stderr()).toMatch(/trace database .* is damaged/);
      expect(dev.stderr()).toContain(`npx judgeval salvage --data ${data} --to ${data}-salvaged`);

      const listed = await listAll(dev.url);
      // The traces on the damaged page are skipped; every other one is listed, once.
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed.length).toBeGreaterThan(TRACES * 0.8);
      expect(listed.length).toBeLessThan(TRACES);
      expect(listed.every((id) => ids.includes(id))).toBe(true);
      await listAll(dev.url);
      // Reported once, however often it is met.
      expect(dev.stderr().match(/a page of the trace list could not be read/g)).toHaveLength(1);

      const damagedRow = await fetch(`${dev.url}/api/v1/traces/${ids[0]}/spans/${"0".repeat(16)}`);
      expect(damagedRow.status).toBe(404);
      const outline = await fetch(`${dev.url}/api/traces/${ids[0]}`);
      expect(outline.status).toBe(200);
      expect(((await outline.json()) as { spans: unknown[] }).spans).toEqual([]);

      const fresh = newTraceId();
      expect((await post(dev.url, fresh, "after-damage", TRACES)).status).toBe(200);
      expect((await listAll(dev.url))[0]).toBe(fresh);

      const stats = (await (await fetch(`${dev.url}/api/v1/stats`)).json()) as {
        counters: { corruptRows: number; damagedReads: number };
        integrity: { state: string; problems?: string[] };
      };
      expect(stats.integrity.state).toBe("damaged");
      expect(stats.integrity.problems!.join("\n")).toMatch(/traces_start|page/);
      expect(stats.counters.corruptRows).toBe(1);
      expect(stats.counters.damagedReads).toBeGreaterThanOrEqual(1);
    } finally {
      await dev.stop();
    }

    // The salvage command copies what can be read into a new directory, which then starts clean.
    const salvaged = join(dir, "salvaged");
    const child = spawn(process.execPath, [bin, "salvage", "--data", data, "--to", salvaged]);
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    const [, spans] = /salvaged (\d+) spans/.exec(out)!;
    expect(Number(spans)).toBeGreaterThan(TRACES * 0.8);
    expect(out).toMatch(/1 unreadable rows/);
    expect(out).toContain(`npx judgeval dev --data ${salvaged}`);

    const again = await startDev(salvaged);
    try {
      const listed = await listAll(again.url);
      expect(listed.length).toBe(Number(spans));
      let state = "checking";
      while (state === "checking") {
        state = ((await (await fetch(`${again.url}/api/v1/stats`)).json()) as { integrity: { state: string } }).integrity.state;
      }
      expect(state).toBe("ok");
      expect(again.stderr()).not.toContain("damaged");
    } finally {
      await again.stop();
    }
  }, 120_000);

  it("answers 503 (retry later), not 500, to a write that meets a damaged page, and still lists", async () => {
    const copy = copyOfStore("copy");
    // The last leaf of the span table: where every new span is appended.
    damagePage(join(copy, FILE), "spans", (n) => n - 1);

    const dev = await startDev(copy);
    try {
      const res = await post(dev.url, newTraceId(), "into-damage");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("60");
      expect(((await res.json()) as { error: string }).error).toMatch(/damaged/);
      await dev.waitForErr("a write met a damaged page");
      expect((await listAll(dev.url)).length).toBeGreaterThan(TRACES * 0.8);
    } finally {
      await dev.stop();
    }
  }, 60_000);
});
