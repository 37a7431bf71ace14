import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { LocalBackend } from "../../lib/dev/index.js";
import { decodeExportRequest } from "../../lib/dev/otlp/decode.js";
import { authHeaders, encodeSpans, newSpanId, newTraceId, post } from "../support/otlp-fixtures.js";

interface Received {
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** A stand-in OTLP/HTTP receiver (as a Collector would be) that records what it gets. */
async function receiver(status = 200): Promise<{ server: Server; url: string; received: Received[]; next(): Promise<Received> }> {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      res.writeHead(status).end();
      waiting.shift()?.(r);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return { server, url, received, next: () => new Promise((r) => waiting.push(r)) };
}

describe("judgeval dev forwarding", () => {
  it("sends every accepted ingest request on unchanged, and nothing it refused", async () => {
    const target = await receiver();
    const backend = await LocalBackend.start({ forwardTo: target.url });
    try {
      const traceId = newTraceId();
      const body = encodeSpans([{ traceId, spanId: newSpanId(), name: "forwarded" }]);
      const headers = { "content-type": "application/x-protobuf", "x-project-id": backend.projectId("p")! };
      const arrived = target.next();
      expect((await post(backend, "/otel/v1/traces", gzipSync(body), { ...headers, "content-encoding": "gzip" })).status).toBe(200);
      const got = await arrived;
      expect(got.headers["content-type"]).toBe("application/x-protobuf");
      expect(got.headers["content-encoding"]).toBe("gzip");
      expect(got.headers["authorization"]).toBeUndefined();
      expect(decodeExportRequest(new Uint8Array(gunzipSync(got.body))).map((s) => s.name)).toEqual(["forwarded"]);
      // Refused requests are not forwarded.
      expect((await post(backend, "/otel/v1/traces", body, { ...headers, authorization: "Bearer wrong" })).status).toBe(401);
      expect((await post(backend, "/otel/v1/traces", new Uint8Array([0xff, 0xff]), headers)).status).toBe(400);
      const second = target.next();
      expect((await post(backend, "/otel/v1/traces", body, { ...headers, ...authHeaders(backend) })).status).toBe(200);
      await second;
      expect(target.received).toHaveLength(2);
      expect(backend.counters).toMatchObject({ forwardFailures: 0, forwardDropped: 0 });
    } finally {
      await backend.close();
      target.server.close();
      target.server.closeAllConnections();
    }
  });

  it("sends credentials written in the target URL as Basic auth, and never prints them", async () => {
    const target = await receiver(500);
    let onWarning!: (message: string) => void;
    const warned = new Promise<string>((resolve) => (onWarning = resolve));
    const withCredentials = target.url.replace("http://", "http://collector:s3cr%40t@");
    const backend = await LocalBackend.start({ forwardTo: withCredentials, onWarning });
    try {
      const arrived = target.next();
      const headers = { "content-type": "application/x-protobuf", "x-project-id": backend.projectId("p")! };
      const body = encodeSpans([{ traceId: newTraceId(), spanId: newSpanId(), name: "x" }]);
      expect((await post(backend, "/otel/v1/traces", body, headers)).status).toBe(200);
      expect((await arrived).headers.authorization).toBe(`Basic ${Buffer.from("collector:s3cr@t").toString("base64")}`);
      const warning = await warned;
      expect(warning).toContain("forwarding to http://[REDACTED]@127.0.0.1:");
      expect(warning).not.toMatch(/collector|s3cr/);
    } finally {
      await backend.close();
      target.server.close();
      target.server.closeAllConnections();
    }
  });

  it("counts failures of the target without failing ingest", async () => {
    const target = await receiver(500);
    let onWarning!: (message: string) => void;
    const warned = new Promise<string>((resolve) => (onWarning = resolve));
    const backend = await LocalBackend.start({ forwardTo: target.url, onWarning });
    try {
      const arrived = target.next();
      const headers = { "content-type": "application/x-protobuf", "x-project-id": backend.projectId("p")! };
      expect(
        (await post(backend, "/otel/v1/traces", encodeSpans([{ traceId: newTraceId(), spanId: newSpanId(), name: "x" }]), headers)).status,
      ).toBe(200);
      await arrived;
      expect(await warned).toMatch(
        /forwarding to http:\/\/127.0.0.1:\d+\/v1\/traces failed \(HTTP 500\); further failures are only counted/,
      );
      expect(backend.counters.forwardFailures).toBe(1);
      expect(backend.spans().map((s) => s.name)).toEqual(["x"]);
    } finally {
      await backend.close();
      target.server.close();
      target.server.closeAllConnections();
    }
  });
});
