// The cross-runtime checks: plain JavaScript against the built package, runnable as is by Node,
// Bun and Deno (`node checks.mjs`, `bun checks.mjs`, `deno run -A checks.mjs`). Each check prints
// one JSON line: {"check", "ok", "detail"?, "error"?}. The matrix (matrix.mjs) runs this file on
// every runtime and prints the table. Arguments: the checks to run (default: all).
// Environment: JUDGEVAL_CHECK_CHILD is the command line (JSON array) that runs this file again on
// the same runtime, for the exit check. The TS-compiled decorator fixtures sit beside this file.
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { spawn } from "node:child_process";
import { Tracer, observe } from "judgeval";
import { captureTraces, outline } from "judgeval/testing";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function shape(fn) {
  const { traces } = await captureTraces(fn);
  return outline(traces);
}

/** Starts the local backend from the public `judgeval/dev` entry. */
async function backend(options = {}) {
  const { LocalBackend } = await import("judgeval/dev");
  return LocalBackend.start(options);
}

function tracerConfig(b, projectName, extra = {}) {
  return { apiUrl: b.url, apiKey: b.apiKey, organizationId: b.organizationId, projectName, setActive: false, ...extra };
}

const checks = {
  async "context: await"() {
    const got = await shape(() =>
      Tracer.span("root", async () => {
        await tick();
        await Tracer.span("after-await", async () => {
          await Promise.resolve();
          Tracer.span("nested", () => undefined);
        });
      }),
    );
    expectEqual(got, "span root\n  span after-await\n    span nested", "trace");
  },

  async "context: timers"() {
    const got = await shape(() =>
      Tracer.span("root", () => {
        const timeout = new Promise((resolve) => setTimeout(() => resolve(Tracer.span("in-timeout", () => 1)), 1));
        const immediate = new Promise((resolve) => setImmediate(() => resolve(Tracer.span("in-immediate", () => 2))));
        const microtask = new Promise((resolve) => queueMicrotask(() => resolve(Tracer.span("in-microtask", () => 3))));
        return Promise.all([timeout, immediate, microtask]);
      }),
    );
    expectEqual(got, "span root\n  span in-microtask\n  span in-immediate\n  span in-timeout", "trace");
  },

  async "context: EventEmitter"() {
    const emitter = new EventEmitter();
    const heard = new Promise((resolve) => emitter.once("tick", () => resolve(Tracer.span("listener", () => 1))));
    const got = await shape(() =>
      Tracer.span("root", async () => {
        setTimeout(() => emitter.emit("tick"), 1);
        await heard;
      }),
    );
    expectEqual(got, "span root\n  span listener", "trace");
  },

  async "context: streams"() {
    const got = await shape(() =>
      Tracer.span("root", async () => {
        const upper = new Transform({
          objectMode: true,
          transform(chunk, _enc, done) {
            setTimeout(
              () =>
                done(
                  null,
                  Tracer.span(`transform ${chunk}`, () => String(chunk).toUpperCase()),
                ),
              1,
            );
          },
        });
        const seen = [];
        await pipeline(Readable.from(["a", "b"]), upper, async function* (source) {
          for await (const item of source) seen.push(Tracer.span(`sink ${item}`, () => item));
        });
        expectEqual(seen.join(","), "A,B", "stream output");
      }),
    );
    expectEqual(got, "span root\n  span transform a\n  span sink A\n  span transform b\n  span sink B", "trace");
  },

  async "decorators (TS-compiled)"() {
    const fixture = new URL("./decorated-stage3.mjs", import.meta.url);
    if (!existsSync(fixture)) return { skip: "no compiled fixture (run through matrix.mjs)" };
    const { makeAgent } = await import(fixture.href);
    const Agent = makeAgent(observe);
    const { result, traces } = await captureTraces(() => new Agent().run("q"));
    expectEqual(result, "answer to q", "result");
    expectEqual(outline(traces), "agent run\n  tool lookup", "trace");
    expectEqual(JSON.stringify(traces[0].root.input), '{"question":"q"}', "input");
  },

  async "export to local backend"() {
    const b = await backend();
    try {
      expectEqual(b.storageMode, "sqlite-memory", "storage without a data path");
      const tracer = Tracer.init(tracerConfig(b, "runtime-export"));
      await tracer.run(() => Tracer.span("parent", () => observe((x) => x * 2, { spanName: "double" })(21)));
      expectEqual(await tracer.forceFlush(5000), true, "forceFlush");
      const spans = await b.waitForSpans(2, { timeoutMs: 5000 });
      const parent = spans.find((s) => s.name === "parent");
      const child = spans.find((s) => s.name === "double");
      expectEqual(child?.parentSpanId, parent?.spanId, "double's parent");
      expectEqual(child?.attributes["judgment.output"], "42", "output");
      await tracer.shutdown(2000);
    } finally {
      await b.close();
    }
  },

  async "partial emits"() {
    const b = await backend();
    try {
      const tracer = Tracer.init(tracerConfig(b, "runtime-partial", { exportIntervalMillis: 20 }));
      const span = tracer.run(() => Tracer.startSpan("long-running"));
      const open = await b.waitForSpans((spans) => spans.some((s) => s.name === "long-running" && !s.ended), { timeoutMs: 5000 });
      expectEqual(open.length, 1, "open copies");
      span.end();
      await tracer.forceFlush(5000);
      const done = await b.waitForSpans((spans) => spans.some((s) => s.name === "long-running" && s.ended), { timeoutMs: 5000 });
      expectEqual(done.length, 1, "stored copies");
      await tracer.shutdown(2000);
    } finally {
      await b.close();
    }
  },

  async "exit flush"() {
    const command = process.env.JUDGEVAL_CHECK_CHILD;
    if (!command) return { skip: "no child command (run through matrix.mjs)" };
    const b = await backend();
    try {
      const [bin, ...args] = JSON.parse(command);
      const child = spawn(bin, [...args, "--exit-child"], {
        env: { ...process.env, CHILD_URL: b.url, CHILD_KEY: b.apiKey, CHILD_ORG: b.organizationId },
        stdio: ["ignore", "inherit", "inherit"],
      });
      const code = await new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("exit", resolve);
      });
      expectEqual(code, 0, "child exit code");
      const spans = b.spans().filter((s) => s.ended);
      expectEqual(spans.map((s) => s.name).join(","), "ended-before-exit", "delivered spans");
    } finally {
      await b.close();
    }
  },

  async "judgeval dev: start with persistence"() {
    const dataPath = mkdtempSync(join(tmpdir(), "judgeval-dev-check-"));
    try {
      const first = await backend({ dataPath });
      if (first.storageMode !== "sqlite-file") throw new Error(`storage is ${first.storageMode}, not a file store`);
      const tracer = Tracer.init(tracerConfig(first, "runtime-dev"));
      tracer.run(() => Tracer.span("persisted", () => undefined));
      await tracer.forceFlush(5000);
      await tracer.shutdown(2000);
      await first.waitForSpans(1, { timeoutMs: 5000 });
      await first.close();
      const second = await backend({ dataPath });
      try {
        const names = second.spans().map((s) => s.name);
        if (names.join() !== "persisted") throw new Error(`after a restart the store holds [${names}] (memory only?)`);
        // The trace list reads its rows through the engine's array rows (bun:sqlite's values, node:sqlite's setReturnArrays).
        const list = second.traces().map((t) => `${t.rootName}/${t.spanCount}/${t.projectId === second.projectId("runtime-dev")}`);
        if (list.join() !== "persisted/1/true") throw new Error(`the reopened trace list reads [${list}]`);
        return { detail: `${second.storageMode}, the reopened store holds the span and lists its trace` };
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataPath, { recursive: true, force: true });
    }
  },
};

/** The exit check's child: one span ended, one left open, a minute-long batch interval, no flush. */
function exitChild() {
  Tracer.init({
    projectName: "runtime-exit",
    apiUrl: process.env.CHILD_URL,
    apiKey: process.env.CHILD_KEY,
    organizationId: process.env.CHILD_ORG,
    exportIntervalMillis: 60000,
  });
  Tracer.startSpan("never-ended");
  Tracer.span("ended-before-exit", () => undefined);
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--exit-child")) return exitChild();
  const wanted = args.length ? args : Object.keys(checks);
  let failed = 0;
  for (const name of wanted) {
    const started = performance.now();
    let line;
    try {
      const outcome = (await checks[name]()) ?? {};
      line = outcome.skip ? { check: name, skip: outcome.skip } : { check: name, ok: true, detail: outcome.detail };
    } catch (err) {
      failed++;
      line = {
        check: name,
        ok: false,
        error: String(err?.stack ?? err)
          .split("\n")
          .slice(0, 4)
          .join(" | "),
      };
    }
    line.ms = Math.round(performance.now() - started);
    console.log(JSON.stringify(line));
  }
  await Tracer.shutdown(2000);
  process.exitCode = failed ? 1 : 0;
}

await main();
