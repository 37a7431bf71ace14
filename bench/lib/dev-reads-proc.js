"use strict";
/**
 * `judgeval dev`'s backend on an existing data directory, in its own process, for bench/dev-reads.bench.ts. Sends
 * { url, apiKey, organizationId } once listening; answers "delay" with the longest event-loop hold since the last
 * "delay" (perf_hooks.monitorEventLoopDelay, in ms) and resets it.
 */
const { monitorEventLoopDelay } = require("node:perf_hooks");
// BENCH_READS_DIST: another build to compare against (a copy of dist/ from before a change).
const { LocalBackend } = require(`${process.env.BENCH_READS_DIST ?? "../../dist"}/cjs/dev/index.js`);

const loop = monitorEventLoopDelay({ resolution: 5 });
LocalBackend.start({ dataPath: process.argv[2], requestLogLimit: 100, retention: { maxBytes: 64 * 1024 ** 3, maxAgeMs: 0 } }).then(
  (backend) => {
    loop.enable();
    process.send({ url: backend.url, apiKey: backend.apiKey, organizationId: backend.organizationId });
    process.on("message", (m) => {
      if (m === "delay") {
        process.send({ maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 });
        loop.reset();
      }
      if (m === "close") void backend.close().then(() => process.exit(0));
    });
  },
);
process.on("disconnect", () => process.exit(0));
