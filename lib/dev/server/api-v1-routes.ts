import { HttpError, sendJson, sendJsonSliced } from "./http-util.js";
import { sendTrace } from "./trace-answer.js";
import { ProjectRegistry } from "../store/projects.js";
import type { TraceQueries } from "../store/queries.js";
import { MAX_ID_CHARS } from "../store/span-facts.js";
import { runStepsSliced } from "../store/stepped-read.js";
import { decodeCursor, decodeSpanCursor, encodeSpanCursor } from "../store/trace-store.js";
import type { Route } from "./router.js";
import type { BackendCounters } from "./types.js";
import type { TraceQuery, TraceStatusFilter } from "../store/query-types.js";
import type { IntegrityState, StorageMode } from "../store/trace-store.js";

/** What the versioned query API reads. */
export interface ApiV1Deps {
  queries: TraceQueries;
  projects: ProjectRegistry;
  counters: () => BackendCounters;
  storageMode: () => StorageMode;
  integrity: () => IntegrityState;
}

/** Version of the query API, in its paths (`/api/v1/...`). */
const API_VERSION = 1;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;
/**
 * Spans on one page of a trace's outline (`limit` takes up to {@link MAX_TRACE_PAGE}): a page is read from its own
 * index range, so no request holds the event loop for long whatever the trace's size.
 */
const DEFAULT_TRACE_PAGE = 2000;
const MAX_TRACE_PAGE = 10_000;
const STATUSES: readonly TraceStatusFilter[] = ["ok", "error", "in_progress"];

function text(url: URL, name: string, max = 500): string | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === "") return undefined;
  if (v.length > max) throw new HttpError(400, `${name} is longer than ${max} characters`);
  return v;
}

function bool(url: URL, name: string): boolean | undefined {
  const v = text(url, name);
  if (v === undefined || v === "all") return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new HttpError(400, `${name} must be true, false or all`);
}

function time(url: URL, name: string): number | undefined {
  const v = text(url, name);
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new HttpError(400, `${name} must be milliseconds since the epoch or an ISO date`);
  return n;
}

/** Reads the trace filters shared by the list, sessions and experiments. */
function traceQuery(url: URL): TraceQuery {
  const status = text(url, "status");
  if (status !== undefined && !STATUSES.includes(status as TraceStatusFilter)) {
    throw new HttpError(400, `status must be one of ${STATUSES.join(", ")}`);
  }
  const projectName = text(url, "project");
  const limitText = text(url, "limit");
  const limit = limitText === undefined ? DEFAULT_PAGE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, "limit must be a positive integer");
  const cursor = text(url, "cursor", 2000);
  if (cursor !== undefined && decodeCursor(cursor) === undefined) throw new HttpError(400, "cursor is not one this API returned");
  const query: TraceQuery = {
    offline: bool(url, "offline"),
    projectId: text(url, "projectId") ?? (projectName === undefined ? undefined : ProjectRegistry.idFor(projectName)),
    name: text(url, "name"),
    kind: text(url, "kind"),
    status: status as TraceStatusFilter | undefined,
    sessionId: text(url, "session", MAX_ID_CHARS),
    customerId: text(url, "customer", MAX_ID_CHARS),
    tag: text(url, "tag"),
    from: time(url, "from"),
    to: time(url, "to"),
    text: text(url, "q"),
    limit: Math.min(limit, MAX_PAGE),
    cursor,
  };
  for (const key of Object.keys(query) as (keyof TraceQuery)[]) if (query[key] === undefined) delete query[key];
  return query;
}

function route(pattern: RegExp, handle: Route["handle"]): Route {
  return { method: "GET", pattern, handle };
}

/**
 * The versioned JSON query API (`/api/v1/...`, documented in docs/query-api.md):
 * paged and filtered trace list, trace outlines, single spans, sessions,
 * experiment runs, projects and store statistics.
 */
export function apiV1Routes(deps: ApiV1Deps): Route[] {
  return [
    route(/^\/api\/v1\/traces\/?$/, async ({ res, url }) => {
      const query = traceQuery(url);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      await sendJsonSliced(res, await runStepsSliced(deps.queries.pageSteps(query, query.limit ?? DEFAULT_PAGE, after)), "traces");
    }),
    route(/^\/api\/v1\/traces\/(?<traceId>[0-9a-fA-F]{32})\/?$/, async ({ res, url, params }) => {
      const limitText = text(url, "limit");
      const limit = limitText === undefined ? DEFAULT_TRACE_PAGE : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, "limit must be a positive integer");
      const cursorText = text(url, "cursor", 200);
      const cursor = cursorText === undefined ? undefined : decodeSpanCursor(cursorText);
      if (cursorText !== undefined && cursor === undefined) throw new HttpError(400, "cursor is not one this API returned");
      const offline = bool(url, "offline");
      // Written as read, a step of outlines at a time: the members after `spans` are known once the page is.
      await sendTrace(
        res,
        deps.queries,
        params["traceId"],
        offline,
        (id) => deps.queries.outlinePage(id, offline, Math.min(limit, MAX_TRACE_PAGE), cursor),
        (next) => ({ truncated: next !== undefined, nextCursor: next ? encodeSpanCursor(next) : null }),
      );
    }),
    route(/^\/api\/v1\/traces\/(?<traceId>[0-9a-fA-F]{32})\/spans\/(?<spanId>[0-9a-fA-F]{16})\/?$/, ({ res, url, params }) => {
      const span = deps.queries.span(params["traceId"], params["spanId"], bool(url, "offline"));
      if (!span) throw new HttpError(404, `span not found: ${params["spanId"]}`);
      sendJson(res, 200, span);
    }),
    route(/^\/api\/v1\/sessions\/?$/, async ({ res, url }) => {
      sendJson(res, 200, { sessions: await runStepsSliced(deps.queries.sessionSteps(traceQuery(url))) });
    }),
    route(/^\/api\/v1\/experiments\/?$/, async ({ res, url }) => {
      sendJson(res, 200, { runs: await runStepsSliced(deps.queries.experimentSteps(traceQuery(url))) });
    }),
    route(/^\/api\/v1\/projects\/?$/, ({ res }) => {
      sendJson(res, 200, { projects: deps.projects.list() });
    }),
    route(/^\/api\/v1\/stats\/?$/, ({ res }) => {
      sendJson(res, 200, { apiVersion: API_VERSION, storage: deps.storageMode(), counters: deps.counters(), integrity: deps.integrity() });
    }),
  ];
}
