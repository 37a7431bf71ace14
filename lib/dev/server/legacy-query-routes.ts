import { HttpError, sendJson } from "./http-util.js";
import type { ProjectRegistry } from "../store/projects.js";
import type { TraceQueries } from "../store/queries.js";
import type { Route } from "./router.js";
import type { Subscribe } from "../store/wait.js";

/** What the legacy query API reads. */
export interface LegacyQueryDeps {
  queries: TraceQueries;
  projects: ProjectRegistry;
  /** Change notifications of the store, for the event stream. */
  onChange: Subscribe;
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;
// Coalesces an ingest burst into one event per interval per client.
const EVENT_COALESCE_MS = 100;
// Comment lines keep idle connections from being dropped by proxies.
const HEARTBEAT_MS = 15_000;

function offlineParam(url: URL): boolean | undefined {
  const value = url.searchParams.get("offline");
  if (value === null || value === "" || value === "all") return undefined;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new HttpError(400, "offline must be true, false or all");
}

function limitParam(url: URL): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, "limit must be a positive integer");
  return Math.min(n, MAX_LIMIT);
}

function listTraces(deps: LegacyQueryDeps): Route {
  return {
    method: "GET",
    pattern: /^\/api\/traces\/?$/,
    handle({ res, url }) {
      const filter = { offline: offlineParam(url), projectId: url.searchParams.get("projectId") ?? undefined };
      const all = deps.queries.traces(filter);
      const limit = limitParam(url);
      sendJson(res, 200, { traces: all.slice(0, limit), total: all.length });
    },
  };
}

function getTrace(deps: LegacyQueryDeps): Route {
  return {
    method: "GET",
    pattern: /^\/api\/traces\/(?<traceId>[0-9a-fA-F]{32})\/?$/,
    handle({ res, url, params }) {
      const detail = deps.queries.detail(params["traceId"], offlineParam(url));
      if (!detail) throw new HttpError(404, `trace not found: ${params["traceId"]}`);
      sendJson(res, 200, detail);
    },
  };
}

function listProjects(deps: LegacyQueryDeps): Route {
  return {
    method: "GET",
    pattern: /^\/api\/projects\/?$/,
    handle({ res }) {
      sendJson(res, 200, { projects: deps.projects.list() });
    },
  };
}

/** Server-sent events: one `change` event after stored data changes, at most every 100 ms. */
function events(deps: LegacyQueryDeps): Route {
  return {
    method: "GET",
    pattern: /^\/api\/(?:v1\/)?events\/?$/,
    handle({ req, res }) {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write("retry: 1000\n\n");
      let pending: NodeJS.Timeout | undefined;
      const unsubscribe = deps.onChange(() => {
        pending ??= setTimeout(() => {
          pending = undefined;
          res.write(`event: change\ndata: ${Date.now()}\n\n`);
        }, EVENT_COALESCE_MS);
      });
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      req.socket.once("close", () => {
        unsubscribe();
        clearInterval(heartbeat);
        if (pending) clearTimeout(pending);
      });
    },
  };
}

/**
 * The first, unversioned JSON query routes (`/api/traces`, `/api/projects`), kept for scripts
 * that use them, and the change events, served as `/api/events` and `/api/v1/events`; the rest of
 * `/api/v1` is api-v1-routes.ts. No credentials: like the viewer they serve a developer on
 * loopback (see docs/backend.md).
 */
export function legacyQueryRoutes(deps: LegacyQueryDeps): Route[] {
  return [listTraces(deps), getTrace(deps), listProjects(deps), events(deps)];
}
