"use strict";
/**
 * `judgeval dev`'s backend with a SQLite file, in its own process, for
 * bench/dev-store.bench.ts. Sends { url, apiKey, organizationId, startMs } once
 * listening (startMs: from process start to listening, the restart time); answers
 * "rss" messages with its resident set size and "cpu" messages with its CPU time.
 */
const started = Date.now() - process.uptime() * 1000;
const { LocalBackend } = require("../../dist/cjs/dev/index.js");

LocalBackend.start({
  dataPath: process.argv[2],
  requestLogLimit: 100,
  retention: { maxBytes: 64 * 1024 ** 3, maxAgeMs: 0 },
}).then((backend) => {
  process.send({
    url: backend.url,
    apiKey: backend.apiKey,
    organizationId: backend.organizationId,
    startMs: Date.now() - started,
    storage: backend.storageMode,
  });
  process.on("message", (m) => {
    if (m === "rss") process.send({ rss: process.memoryUsage().rss });
    if (m === "cpu") process.send({ cpu: process.cpuUsage() });
    if (m === "close") void backend.close().then(() => process.exit(0));
  });
});
process.on("disconnect", () => process.exit(0));
