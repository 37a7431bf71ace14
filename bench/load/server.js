"use strict";
/**
 * One HTTP agent server of the load benchmark, in its own process:
 *
 *   node bench/load/server.js <variant> <providerUrl> <sinkUrl> [tag]
 *
 * POST /agent runs the agent of bench/fixtures/agent.ts (compiled by run.js to
 * BENCH_AGENT_JS) for the question in the body: 10 spans a request, two of them model calls to
 * the loopback provider. Variants: bench/load/variants.js; spans are counted at the sink under
 * `tag` (default: the variant).
 * Sends { port } once listening and { rss, at } every BENCH_LOAD_RSS_MS; answers { cmd: "usage" }
 * with { usage: { cpuUs, handled } } (CPU time so far, requests handled). On { cmd: "finish" } it
 * waits for the requests in flight, flushes, and answers { handled, failed, spansPerRequest }.
 */
const http = require("node:http");
const path = require("node:path");
const { setup } = require("./variants.js");

const [variant, providerUrl, sinkUrl, tag = variant] = process.argv.slice(2);
const RSS_MS = Number(process.env.BENCH_LOAD_RSS_MS ?? 1000);
const { makeAgent, SPANS_PER_REQUEST } = require(path.resolve(process.env.BENCH_AGENT_JS));

async function main() {
  const { observe, client, flush } = await setup(variant, providerUrl, sinkUrl, tag);
  const agent = makeAgent(observe, client);
  let handled = 0;
  let failed = 0;
  let inFlight = 0;
  let idle;
  const done = (ok) => {
    if (ok) handled++;
    else failed++;
    if (--inFlight === 0 && idle) idle();
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    inFlight++;
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let question = "What is the weather like?";
      try {
        question = String(JSON.parse(Buffer.concat(chunks).toString("utf8")).question ?? question);
      } catch {
        // the load generator's body is fixed: a bad one still runs the agent
      }
      agent.handle(question).then(
        (result) => {
          const body = JSON.stringify(result);
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
          res.end(body);
          done(true);
        },
        (err) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(err && err.message));
          done(false);
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const sample = setInterval(() => process.send({ rss: process.memoryUsage().rss, at: Date.now() }), RSS_MS);
  process.on("message", async (msg) => {
    if (msg.cmd === "usage") {
      const cpu = process.cpuUsage();
      return process.send({ usage: { cpuUs: cpu.user + cpu.system, handled } });
    }
    if (msg.cmd !== "finish") return;
    clearInterval(sample);
    if (inFlight > 0) await new Promise((resolve) => (idle = resolve));
    await flush();
    process.send({ result: { variant, handled, failed, spansPerRequest: variant === "plain" ? 0 : SPANS_PER_REQUEST } }, () =>
      process.exit(0),
    );
  });
  process.send({ port: server.address().port });
}

main().catch((err) => {
  process.send?.({ result: { error: String(err && err.stack ? err.stack : err) } }, () => process.exit(1));
});
process.on("disconnect", () => process.exit(0));
