import { lstatSync, mkdtempSync, readdirSync, renameSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tracer, observe } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();
const work = observe(function work(i: number) {
  return i;
});
const fast = { exportTimeoutMillis: 300, retry: { initialDelayMillis: 20, maxDelayMillis: 50, maxElapsedMillis: 200 } };

afterEach(() => ctx.backend.clearFaults());

/** Spools `count` spans of project `projectName` into `dir` (the backend hangs), returns the spooled file names. */
async function spoolSpans(dir: string, projectName: string, count: number): Promise<string[]> {
  ctx.backend.injectFault({ route: "ingest", hang: true, times: Infinity });
  const tracer = Tracer.init({ ...ctx.tracerConfig, ...fast, projectName, spoolDir: dir, setActive: false });
  await tracer.ready;
  tracer.run(() => {
    for (let i = 0; i < count; i++) work(i);
  });
  await tracer.shutdown(1000);
  ctx.backend.clearFaults();
  return readdirSync(dir).filter((f) => f.endsWith(".otlp"));
}

/** Starts a tracer of `projectName` on `dir` and waits until its spool drain is done. */
async function drainWith(dir: string, projectName: string): Promise<void> {
  const tracer = Tracer.init({ ...ctx.tracerConfig, exportTimeoutMillis: 5000, projectName, spoolDir: dir, setActive: false });
  await tracer.ready;
  await tracer.forceFlush(5000);
  await tracer.shutdown(5000);
}

const spansOf = (projectName: string) => ctx.backend.spans({ projectId: ctx.backend.projectId(projectName) });

describe("the spool directory", () => {
  it("is private: directory 0700, files 0600", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "judgeval-spool-")), "nested", "spool");
    const files = await spoolSpans(dir, "spool-perms", 5);
    expect(files.length).toBeGreaterThan(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it("never follows a planted symlink: its target's content is not sent, the link is removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "judgeval-spool-"));
    const [file] = await spoolSpans(dir, "spool-symlink", 3);
    // A valid request body elsewhere, linked in under a spool file's name: following it would deliver 3 spans.
    const target = join(mkdtempSync(join(tmpdir(), "judgeval-target-")), "private.otlp");
    renameSync(join(dir, file), target);
    symlinkSync(target, join(dir, file));
    const warnings = await captureWarnings(() => drainWith(dir, "spool-symlink"));
    expect(warnings).toEqual([`[judgeval] removed a spool file that is not a regular file, unread: ${join(dir, file)}`]);
    expect(spansOf("spool-symlink")).toHaveLength(0);
    expect(existsSync(join(dir, file))).toBe(false);
    expect(existsSync(target)).toBe(true);
  });

  it("skips (and removes) a file over the size cap without reading it, and delivers the others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "judgeval-spool-"));
    const [file] = await spoolSpans(dir, "spool-big", 4);
    const big = file.replace(/~\d+-/, "~0-");
    writeFileSync(join(dir, big), Buffer.alloc(50 * 1024 * 1024, 1));
    const warnings = await captureWarnings(() => drainWith(dir, "spool-big"));
    expect(warnings).toEqual([expect.stringMatching(/^\[judgeval\] removed a spool file that is over \d+ bytes, unread: /)]);
    expect(warnings[0]).toContain(join(dir, big));
    expect(spansOf("spool-big")).toHaveLength(4);
    expect(readdirSync(dir).filter((f) => f.endsWith(".otlp"))).toEqual([]);
  });

  it("stale .tmp files (a write cut short, e.g. by a full disk) are cleaned at start; fresh ones are left alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "judgeval-spool-"));
    const [file] = await spoolSpans(dir, "spool-tmp", 2);
    const stale = join(dir, `${file}.tmp`.replace(/~\d+-/, "~1-"));
    const fresh = join(dir, `${file}.tmp`.replace(/~\d+-/, "~2-"));
    writeFileSync(stale, "partial");
    writeFileSync(fresh, "being written");
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(stale, hourAgo, hourAgo);
    await drainWith(dir, "spool-tmp");
    expect(existsSync(stale)).toBe(false);
    expect(lstatSync(fresh).isFile()).toBe(true);
    expect(spansOf("spool-tmp")).toHaveLength(2);
  });
});
