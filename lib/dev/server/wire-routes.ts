import { readBody } from "./body.js";
import type { Forwarder } from "./forwarder.js";
import { header, HttpError, sendJson } from "./http-util.js";
import { decodeExportRequest, MalformedOtlpError, OtlpLimitError, type DecodeLimits } from "../otlp/decode.js";
import type { ChangeFeed } from "../store/changes.js";
import type { ProjectRegistry } from "../store/projects.js";
import { toStoredSpan } from "../store/stored-span.js";
import type { GroupCommit } from "../store/group-commit.js";
import { StoreDamagedError, StoreFullError, type TraceStore } from "../store/trace-store.js";
import type { Route, RouteContext } from "./router.js";
import type { RequestCounters } from "./types.js";
import { HeaderNames } from "../../wire/headers.js";
import { OFFLINE_TRACES_PATH, PROJECT_RESOLVE_PATH, TRACE_TAGS_PATH, TRACES_PATH } from "../../wire/paths.js";

/** What the handlers of the wire endpoints (docs/wire.md) work on. */
export interface WireDeps {
  projects: ProjectRegistry;
  store: TraceStore;
  /** Writes ingested spans, several requests per transaction. */
  writer: GroupCommit;
  changes: ChangeFeed;
  counters: RequestCounters;
  limits: DecodeLimits;
  /** Bytes of ingest bodies in progress before new requests are turned away with 503. */
  maxPendingBytes: number;
  forwarder: Forwarder | undefined;
}

const PROTOBUF_TYPES = ["application/x-protobuf", "application/protobuf"];
// What a request without Content-Length is assumed to weigh for back-pressure.
const UNDECLARED_BYTES = 1024 * 1024;

/** The route pattern of a wire path: `{name}` matches one segment as a named group, a trailing slash is optional. */
function pathPattern(path: string): RegExp {
  const body = path
    .replace(/\/+$/, "")
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\{(\w+)\}/g, "(?<$1>[^/]+)");
  return new RegExp(`^${body}/?$`);
}

async function readJsonObject(ctx: RouteContext): Promise<Record<string, unknown>> {
  const body = await readBody(ctx.req);
  ctx.noteBodyBytes(body.wireBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.data.toString("utf8"));
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HttpError(400, "body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function requireKnownProject(deps: WireDeps, projectId: string | undefined): string {
  if (!projectId) throw new HttpError(400, `missing ${HeaderNames.projectId} header`);
  if (!deps.projects.has(projectId)) throw new HttpError(404, `unknown project id: ${projectId}`);
  return projectId;
}

function resolveRoute(deps: WireDeps): Route {
  return {
    method: "POST",
    pattern: pathPattern(PROJECT_RESOLVE_PATH),
    wire: "resolve",
    async handle(ctx) {
      const body = await readJsonObject(ctx);
      const name = body["project_name"];
      if (typeof name !== "string" || name === "") throw new HttpError(400, "project_name must be a non-empty string");
      const id = deps.projects.resolve(name);
      if (id === undefined) throw new HttpError(404, `project not found: ${name}`);
      sendJson(ctx.res, 200, { project_id: id, project_name: name });
    },
  };
}

function ingestRoute(deps: WireDeps, offline: boolean, pending: { bytes: number }): Route {
  return {
    method: "POST",
    pattern: pathPattern(offline ? OFFLINE_TRACES_PATH : TRACES_PATH),
    wire: "ingest",
    async handle(ctx) {
      const projectId = requireKnownProject(deps, header(ctx.req, HeaderNames.projectId));
      const contentType = (header(ctx.req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (!PROTOBUF_TYPES.includes(contentType)) {
        throw new HttpError(415, `content-type must be application/x-protobuf, got ${contentType || "none"}`);
      }
      // Back-pressure: past the budget, ask the exporter to retry rather than queue without bound.
      const weight = Number(header(ctx.req, "content-length")) || UNDECLARED_BYTES;
      if (pending.bytes > 0 && pending.bytes + weight > deps.maxPendingBytes) {
        throw new HttpError(503, "busy storing earlier requests; retry shortly", { "retry-after": "1" });
      }
      pending.bytes += weight;
      try {
        const body = await readBody(ctx.req);
        ctx.noteBodyBytes(body.wireBytes);
        let decoded;
        try {
          decoded = decodeExportRequest(body.data, deps.limits);
        } catch (err) {
          if (err instanceof MalformedOtlpError) throw new HttpError(400, err.message);
          if (err instanceof OtlpLimitError) throw new HttpError(413, err.message);
          throw err;
        }
        const receivedAt = Date.now();
        const spans = decoded.map((span) => toStoredSpan(span, offline, projectId, receivedAt));
        let stored;
        try {
          stored = await deps.writer.put(spans);
        } catch (err) {
          throw storeError(err);
        }
        deps.counters.acceptedSpans += spans.length;
        if (offline) deps.counters.acceptedOfflineSpans += spans.length;
        else deps.counters.acceptedLiveSpans += spans.length;
        deps.counters.ingestRequests += 1;
        if (stored > 0) deps.changes.notify();
        deps.forwarder?.send({
          body: body.raw,
          contentType: header(ctx.req, "content-type")!,
          contentEncoding: header(ctx.req, "content-encoding"),
        });
      } finally {
        pending.bytes -= weight;
      }
      // An empty protobuf body is a complete ExportTraceServiceResponse (no partial
      // failure), which the OpenTelemetry exporter parses without complaint.
      ctx.res.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 });
      ctx.res.end();
    },
  };
}

function tagsRoute(deps: WireDeps): Route {
  return {
    method: "POST",
    pattern: pathPattern(TRACE_TAGS_PATH),
    wire: "tags",
    async handle(ctx) {
      requireKnownProject(deps, ctx.params["projectId"]);
      const traceId = ctx.params["traceId"].toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(traceId)) throw new HttpError(400, "trace id must be 32 hex characters");
      const body = await readJsonObject(ctx);
      const tags = body["tags"];
      if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === "string")) {
        throw new HttpError(400, "tags must be an array of strings");
      }
      const before = deps.store.tags(traceId).length;
      let all: string[];
      try {
        all = deps.store.addTags(traceId, tags);
      } catch (err) {
        throw storeError(err);
      }
      if (all.length !== before) deps.changes.notify();
      sendJson(ctx.res, 200, { trace_id: traceId, tags: all });
    },
  };
}

/** The endpoints of docs/wire.md. */
export function wireRoutes(deps: WireDeps): Route[] {
  const pending = { bytes: 0 };
  return [resolveRoute(deps), ingestRoute(deps, false, pending), ingestRoute(deps, true, pending), tagsRoute(deps)];
}

/**
 * What a failed write answers: 507 when the database is full, 503 (retry later: the sender keeps the data) when a
 * page it had to write is damaged.
 */
function storeError(err: unknown): unknown {
  if (err instanceof StoreFullError) return new HttpError(507, err.message);
  if (err instanceof StoreDamagedError) return new HttpError(503, err.message, { "retry-after": "60" });
  return err;
}
