import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Tracer, observe } from "../../lib/index.js";
import { createTraceCapture, outline } from "../../lib/testing/index.js";

// Crosstalk is a matter of context, not of export: the spans are read in-process (judgeval/testing).

describe("many concurrent requests through one server", () => {
  it("10,000 requests, each setting its own session id in the handler: zero crosstalk", async () => {
    const capture = createTraceCapture();
    capture.tracer.setActive();
    const work = observe(
      async (n: number) => {
        await new Promise((r) => setImmediate(r));
        return Tracer.span("db", () => n);
      },
      { spanName: "work" },
    );
    const handler = observe(
      async (id: string) => {
        Tracer.setSessionId(id);
        await new Promise((r) => setTimeout(r, Number(id.slice(1)) % 3));
        return work(Number(id.slice(1)));
      },
      { spanName: "handler" },
    );
    const server = http.createServer((req, res) => {
      void Tracer.continueTrace(req.headers, () => handler(String(req.headers["x-request"]))).then((n) => res.end(String(n)));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
    const get = (i: number) =>
      new Promise<string>((done, fail) => {
        http
          .get({ port, host: "127.0.0.1", agent, headers: { "x-request": `r${i}` } }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c)).on("end", () => done(body));
          })
          .on("error", fail);
      });
    const total = 10000;
    const bodies = await Promise.all(Array.from({ length: total }, (_, i) => get(i)));
    agent.destroy();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    expect(bodies.map(Number)).toEqual(Array.from({ length: total }, (_, i) => i));
    await capture.shutdown();
    const traces = capture.traces();
    expect(traces).toHaveLength(total);
    let crosstalk = 0;
    let misshapen = 0;
    for (const trace of traces) {
      if (outline(trace) !== "span handler\n  span work\n    span db") misshapen++;
      const expected = (trace.root.input as { id: string }).id;
      for (const span of trace.spans) if (span.attributes["judgment.session_id"] !== expected) crosstalk++;
    }
    expect({ misshapen, crosstalk }).toEqual({ misshapen: 0, crosstalk: 0 });
  }, 120000);
});
