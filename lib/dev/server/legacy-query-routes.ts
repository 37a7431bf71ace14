import { HttpError, sendJson, sendJsonSliced } from "./http-util.js";
import { sendTrace } from "./trace-answer.js";
import type { ProjectRegistry } from "../store/projects.js";
import type { TraceQueries } from "../store/queries.js";
import type { Route } from "./router.js";
import { runStepsSliced } from "../store/stepped-read.js";
import type { SpanCursor } from "../store/trace-store.js";
import type { Subscribe } from "../store/wait.js";

/** What the legacy query API reads. */
export interface LegacyQueryDeps {
  queries: TraceQueries;
  projects: ProjectRegistry;
  /** Change notifications of the store, for the event stream. */
  onChange: Subscribe;
}

const DEFAULT_LIMIT = 200;
/** Spans read and written at a time by the trace endpoint. */
const SPAN_PAGE = 250;
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
    async handle({ res, url }) {
      const filter = { offline: offlineParam(url), projectId: url.searchParams.get("projectId") ?? undefined };
      // One page, read in steps, and a count kept as traces come and go: the store may hold millions of spans.
      const { traces } = await runStepsSliced(deps.queries.pageSteps(filter, limitParam(url), undefined));
      await sendJsonSliced(res, { traces, total: deps.queries.count(filter) }, "traces");
    },
  };
}

function getTrace(deps: LegacyQueryDeps): Route {
  return {
    method: "GET",
    pattern: /^\/api\/traces\/(?<traceId>[0-9a-fA-F]{32})\/?$/,
    async handle({ res, url, params }) {
      const offline = offlineParam(url);
      // The same JSON as one object, its spans written a page at a time among the other sliced reads: a 50,000-span
      // trace never holds the loop (ingest, the viewer) for more than one page's read.
      await sendTrace(
        res,
        deps.queries,
        params["traceId"],
        offline,
        function* (id) {
          let cursor: SpanCursor | undefined;
          do {
            const page = deps.queries.spanPage(id, offline, SPAN_PAGE, cursor);
            yield page.spans;
            cursor = page.next;
          } while (cursor);
        },
        () => ({}),
      );
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
