/** What the HTTP side records and counts, and the faults it can play. */

/** The routes a fault can be injected into. `all` covers every wire route (docs/wire.md). */
export type FaultRoute = "ingest" | "resolve" | "tags" | "all";

/** A failure the backend plays on the next matching requests (delivery tests). */
export interface FaultSpec {
  /** Which requests the fault applies to; default `all`. */
  route?: FaultRoute;
  /** Status to answer with; default 503. Ignored when `hang` is set. */
  status?: number;
  /** How many matching requests get the fault; default 1. `Infinity` until cleared. */
  times?: number;
  /** Adds a `Retry-After` header with this many seconds. */
  retryAfterSeconds?: number;
  /** Accept the request and never answer it (until `stop()`/`close()`). */
  hang?: boolean;
}

/** One received HTTP request, recorded for assertions on headers and outcomes. */
export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lowercase header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Response status; 0 while unanswered (or hung by a fault). */
  status: number;
  /** Bytes of the request body as received (before gunzip); 0 when not read. */
  bodyBytes: number;
  /** Arrival time in milliseconds since the Unix epoch. */
  receivedAt: number;
}

/** Running totals since the backend started. */
export interface BackendCounters {
  /** Span copies accepted on either ingest endpoint, partial emits included. */
  acceptedSpans: number;
  acceptedLiveSpans: number;
  acceptedOfflineSpans: number;
  /** Ingest requests answered with 2xx. */
  ingestRequests: number;
  /** Requests answered with a 4xx or 5xx (injected faults included). */
  rejectedRequests: number;
  /** Stored rows that could not be read back (not JSON, or the wrong shape) and were skipped. */
  corruptRows: number;
  /** Reads that met a damaged database page and skipped what it held (each skipped range once). */
  damagedReads: number;
  /** Traces removed by retention (age or size). */
  prunedTraces: number;
  /** With `forwardTo`: requests forwarded, failed, and dropped because the target fell behind. */
  forwarded?: number;
  forwardFailures?: number;
  forwardDropped?: number;
}

/** The counters the HTTP side keeps (the rest come from the store and the forwarder). */
export type RequestCounters = Pick<
  BackendCounters,
  "acceptedSpans" | "acceptedLiveSpans" | "acceptedOfflineSpans" | "ingestRequests" | "rejectedRequests"
>;
