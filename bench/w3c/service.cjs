"use strict";
// A test service for the W3C trace-context validation suite (github.com/w3c/trace-context, test/):
// for each POST it continues the caller's trace and calls back every URL it was given, injecting
// the current context. `--export` sends spans to a local backend; without it export is off.
//   node bench/w3c/service.cjs [--export] [--port 5000]
// then, from the suite's test/ folder: SPEC_LEVEL=2 STRICT_LEVEL=2 python3 test.py http://127.0.0.1:5000/test
const http = require("node:http");
const path = require("node:path");
const dist = path.join(__dirname, "..", "..", "dist", "cjs");
const { Tracer, observe, propagation } = require(path.join(dist, "index.js"));
const { LocalBackend } = require(path.join(dist, "dev", "index.js"));

const args = process.argv.slice(2);
const exportOn = args.includes("--export");
const portAt = args.indexOf("--port");
const port = portAt >= 0 ? Number(args[portAt + 1]) : 5000;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Each outgoing call is its own span, as an instrumented HTTP client makes: a fresh parent id per call.
const post = observe(async function post(url, body) {
  const headers = { "content-type": "application/json" };
  propagation.inject(headers);
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
});

const handle = observe(async function handle(calls) {
  for (const call of calls) await post(call.url, call.arguments ?? []);
});

async function main() {
  let backend;
  if (exportOn) {
    backend = await LocalBackend.start();
    Tracer.init({ apiUrl: backend.url, apiKey: backend.apiKey, organizationId: backend.organizationId, projectName: "w3c" });
  } else {
    Tracer.init({ apiKey: "", organizationId: "", projectName: "w3c" });
  }
  const server = http.createServer(async (req, res) => {
    try {
      const calls = JSON.parse((await readBody(req)) || "[]");
      await Tracer.continueTrace(req.headers, () => handle(calls));
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  server.listen(port, "127.0.0.1", () =>
    console.log(`w3c test service on http://127.0.0.1:${port}/test (export ${exportOn ? "on" : "off"})`),
  );
  const stop = async () => {
    server.close();
    await Tracer.shutdown(2000);
    if (backend) {
      console.log(`spans stored: ${backend.spans().length}`);
      await backend.close();
    }
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
