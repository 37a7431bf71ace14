import { readBody } from "./body.js";
import { header, HttpError, sendJson } from "./http-util.js";
import { decodeExportRequest, MalformedOtlpError } from "../otlp/otlp-decode.js";
import type { ProjectRegistry } from "../store/projects.js";
import type { Route, RouteContext } from "./router.js";
import { toStoredSpan, type SpanStore } from "../store/span-store.js";
import type { BackendCounters } from "../types.js";

/** What the WIRE.md handlers work on. */
export interface WireDeps {
  projects: ProjectRegistry;
  store: SpanStore;
  counters: BackendCounters;
}

const PROTOBUF_TYPES = ["application/x-protobuf", "application/protobuf"];

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
  if (!projectId) throw new HttpError(400, "missing X-Project-Id header");
  if (!deps.projects.has(projectId)) throw new HttpError(404, `unknown project id: ${projectId}`);
  return projectId;
}

function resolveRoute(deps: WireDeps): Route {
  return {
    method: "POST",
    pattern: /^\/v1\/projects\/resolve\/?$/,
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

function ingestRoute(deps: WireDeps, offline: boolean): Route {
  return {
    method: "POST",
    pattern: offline ? /^\/otel\/v1\/offline-traces\/?$/ : /^\/otel\/v1\/traces\/?$/,
    wire: "ingest",
    async handle(ctx) {
      const projectId = requireKnownProject(deps, header(ctx.req, "x-project-id"));
      const contentType = (header(ctx.req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (!PROTOBUF_TYPES.includes(contentType)) {
        throw new HttpError(415, `content-type must be application/x-protobuf, got ${contentType || "none"}`);
      }
      const body = await readBody(ctx.req);
      ctx.noteBodyBytes(body.wireBytes);
      let decoded;
      try {
        decoded = decodeExportRequest(body.data);
      } catch (err) {
        if (err instanceof MalformedOtlpError) throw new HttpError(400, err.message);
        throw err;
      }
      const receivedAt = Date.now();
      const spans = decoded.map((span) => toStoredSpan(span, offline, projectId, receivedAt));
      deps.counters.acceptedSpans += spans.length;
      if (offline) deps.counters.acceptedOfflineSpans += spans.length;
      else deps.counters.acceptedLiveSpans += spans.length;
      deps.counters.ingestRequests += 1;
      deps.store.put(spans);
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
    pattern: /^\/v1\/projects\/(?<projectId>[^/]+)\/traces\/(?<traceId>[^/]+)\/tags\/?$/,
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
      sendJson(ctx.res, 200, { trace_id: traceId, tags: deps.store.addTags(traceId, tags) });
    },
  };
}

/** The endpoints of WIRE.md. */
export function wireRoutes(deps: WireDeps): Route[] {
  return [resolveRoute(deps), ingestRoute(deps, false), ingestRoute(deps, true), tagsRoute(deps)];
}
