"use strict";
/**
 * A minimal loopback sink for export benchmarks, run as its own process so its
 * work never lands on the process being measured. It answers the project
 * resolve call, accepts every OTLP trace export (protobuf or JSON) with 200 and
 * counts the spans in it without decoding them. Stats: GET /__stats; zeroed by
 * POST /__reset. A client whose base URL is `<sink>/v/<tag>` (any path prefix
 * before the API paths) is also counted apart, under `byTag[<tag>]`.
 *
 * Start: fork("bench/lib/sink.js") — sends { port } over IPC once listening.
 */
const http = require("node:http");
const { gunzipSync } = require("node:zlib");
const { countEndedProtobuf, countSpans } = require("./otlp-count.js");

/** SINK_COUNT_ENDED=1: also count ended spans (final copies) of protobuf exports, as `ended`. */
const COUNT_ENDED = process.env.SINK_COUNT_ENDED === "1";

const fresh = () => ({ requests: 0, exports: 0, spans: 0, bytes: 0, countErrors: 0, byTag: {}, paths: {} });
let stats = fresh();

function reset() {
  stats = fresh();
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    stats.requests++;
    let url = req.url ?? "/";
    const tagged = /^\/v\/([^/]+)(\/.*)$/.exec(url);
    const tag = tagged ? (stats.byTag[tagged[1]] ??= { exports: 0, spans: 0, bytes: 0 }) : undefined;
    if (tagged) url = tagged[2];
    const route = `${req.method} ${url.replace(/\?.*$/, "")}`;
    if (!url.startsWith("/__")) stats.paths[route] = (stats.paths[route] ?? 0) + 1;
    if (url.startsWith("/__stats")) return reply(res, 200, "application/json", JSON.stringify(stats));
    if (url.startsWith("/__reset")) {
      reset();
      return reply(res, 200, "application/json", "{}");
    }
    let body = Buffer.concat(chunks);
    if (/\/v1\/projects\/resolve/.test(url)) {
      let name = "bench";
      try {
        name = JSON.parse(body.toString("utf8")).project_name ?? name;
      } catch {}
      return reply(res, 200, "application/json", JSON.stringify({ project_id: "bench-project-id", project_name: name }));
    }
    const peerRows = countPeerRows(url, req, body);
    if (peerRows !== undefined) {
      stats.exports++;
      stats.spans += peerRows;
      stats.bytes += body.length;
      if (tag) {
        tag.exports++;
        tag.spans += peerRows;
        tag.bytes += body.length;
      }
      return reply(res, 200, "application/json", "{}");
    }
    const peerReply = peerHandshake(url, req, tagged);
    if (peerReply) return reply(res, 200, "application/json", JSON.stringify(peerReply));
    if (/\/v1\/traces/.test(url)) {
      stats.exports++;
      stats.bytes += body.length;
      if (tag) {
        tag.exports++;
        tag.bytes += body.length;
      }
      try {
        if (/gzip/i.test(req.headers["content-encoding"] ?? "")) body = gunzipSync(body);
        const spans = countSpans(body, req.headers["content-type"]);
        stats.spans += spans;
        if (tag) tag.spans += spans;
        if (COUNT_ENDED && tag && !/json/i.test(req.headers["content-type"] ?? "")) tag.ended = (tag.ended ?? 0) + countEndedProtobuf(body);
      } catch {
        stats.countErrors++;
      }
      const type = /json/i.test(req.headers["content-type"] ?? "") ? "application/json" : "application/x-protobuf";
      return reply(res, 200, type, type === "application/json" ? "{}" : "");
    }
    reply(res, 200, "application/json", "{}");
  });
});
server.keepAliveTimeout = 60_000;

/**
 * Peer SDKs that don't speak OTLP (bench/peers): LangSmith posts runs in batches (JSON or
 * multipart), Braintrust posts log rows. Returns how many runs/rows a body carries, or
 * undefined for any other request. A run posted and later patched counts once (its post).
 */
function countPeerRows(url, req, body) {
  if (/gzip/i.test(req.headers["content-encoding"] ?? "")) body = gunzipSync(body);
  if (/\/runs\/multipart/.test(url)) return body.toString("latin1").match(/name="post\.[^".]+"/g)?.length ?? 0;
  if (/\/runs\/batch/.test(url)) return (JSON.parse(body.toString("utf8")).post ?? []).length;
  if (/\/runs$/.test(url) && req.method === "POST") return 1;
  if (/\/logs3/.test(url)) return (JSON.parse(body.toString("utf8")).rows ?? []).length;
  return undefined;
}

/** Answers for the calls peers make before sending (log-in, project registration, server info). */
function peerHandshake(url, req, tagged) {
  const base = `http://${req.headers.host}${tagged ? `/v/${tagged[1]}` : ""}`;
  if (/\/api\/apikey\/login/.test(url))
    return { org_info: [{ id: "bench-org", name: "bench-org", api_url: base, proxy_url: base, git_metadata: null }] };
  if (/\/api\/project\/register/.test(url)) return { project: { id: "bench-project", name: "bench" } };
  return undefined;
}

function reply(res, status, type, body) {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  if (process.send) process.send({ port });
  else console.log(`sink listening on http://127.0.0.1:${port}`);
});
process.on("disconnect", () => process.exit(0));
