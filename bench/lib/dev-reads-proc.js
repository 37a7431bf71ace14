"use strict";
/**
 * `judgeval dev`'s backend on an existing data directory, in its own process, for bench/dev-reads.bench.ts. Sends
 * { url, apiKey, organizationId } once listening; answers "delay" with the longest event-loop hold since the last
 * "delay" (perf_hooks.monitorEventLoopDelay, in ms) and the most CPU time the process spent between two ticks of a
 * 2 ms timer (`cpuHoldMs`), and resets both.
 */
const { monitorEventLoopDelay } = require("node:perf_hooks");
// BENCH_READS_DIST: another build to compare against (a copy of dist/ from before a change).
const { LocalBackend } = require(`${process.env.BENCH_READS_DIST ?? "../../dist"}/cjs/dev/index.js`);

const loop = monitorEventLoopDelay({ resolution: 5 });
// A timer-drift probe beside it: the longest gap between 2 ms ticks, and the process CPU time spent in that gap. On a
// shared machine a gap also holds time the process waited for a core; its CPU time is what the process itself held.
let worst = { wallMs: 0, cpuMs: 0 };
let last = { wall: performance.now(), cpu: process.cpuUsage() };
setInterval(() => {
  const now = { wall: performance.now(), cpu: process.cpuUsage() };
  const wallMs = now.wall - last.wall;
  const cpuMs = (now.cpu.user - last.cpu.user + now.cpu.system - last.cpu.system) / 1000;
  if (cpuMs > worst.cpuMs) worst = { wallMs, cpuMs };
  last = now;
}, 2).unref();
LocalBackend.start({ dataPath: process.argv[2], requestLogLimit: 100, retention: { maxBytes: 64 * 1024 ** 3, maxAgeMs: 0 } }).then(
  (backend) => {
    loop.enable();
    process.send({ url: backend.url, apiKey: backend.apiKey, organizationId: backend.organizationId });
    process.on("message", (m) => {
      if (m === "delay") {
        process.send({ maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6, cpuHoldMs: worst.cpuMs, cpuHoldWallMs: worst.wallMs });
        loop.reset();
        worst = { wallMs: 0, cpuMs: 0 };
      }
      if (m === "close") void backend.close().then(() => process.exit(0));
    });
  },
);
process.on("disconnect", () => process.exit(0));
