"use strict";
/**
 * The package's LocalBackend in its own process, so the spans it stores never
 * count against the SDK's memory or CPU. Sends { url, apiKey, organizationId,
 * statsUrl } over IPC once listening. A control server on another loopback
 * port answers GET /__stats with { spans: acceptedSpans, ...counters, rss } and
 * GET /__stored with the number of distinct spans stored (slow on millions).
 *
 *   fork("bench/lib/backend-proc.js", { env: { JUDGEVAL_BENCH_PKG } })
 */
const http = require("node:http");
const { loadJudgevalDev } = require("./common.js");

async function main() {
  const { LocalBackend } = loadJudgevalDev();
  const backend = await LocalBackend.start({ requestLogLimit: 100 });
  const control = http.createServer((req, res) => {
    let body;
    if (req.url.startsWith("/__stored")) body = { stored: backend.spans().length };
    else {
      const cpu = process.cpuUsage();
      body = { spans: backend.counters.acceptedSpans, ...backend.counters, rss: process.memoryUsage().rss, cpuUs: cpu.user + cpu.system };
    }
    const text = JSON.stringify(body);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise((resolve) => control.listen(0, "127.0.0.1", resolve));
  const info = {
    url: backend.url,
    apiKey: backend.apiKey,
    organizationId: backend.organizationId,
    statsUrl: `http://127.0.0.1:${control.address().port}`,
  };
  if (process.send) process.send(info);
  else console.log(info);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
process.on("disconnect", () => process.exit(0));
