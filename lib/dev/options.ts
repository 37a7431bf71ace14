import type { RetentionOptions } from "./store/open-store.js";

/** Options of the local backend. */

/** Caps on what one ingest request may carry; over a cap the request is refused with a 4xx naming it. */
export interface IngestLimits {
  /** Spans in one request; default 20000. */
  maxSpansPerRequest?: number;
  /** Attributes on one span (or event, link, resource); default 2000. */
  maxAttributesPerSpan?: number;
  /** Nesting of array and map values; default 32. */
  maxValueDepth?: number;
  /** Decoded bytes of ingest bodies being stored at once before new ones get 503 + Retry-After; default 64 MiB. */
  maxPendingBytes?: number;
}

/** Options of {@link LocalBackend.start}. */
export interface LocalBackendOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Bearer key every request to a wire endpoint must carry; default `local-dev-key`. */
  apiKey?: string;
  /** `X-Organization-Id` every request to a wire endpoint must carry; default `local-dev-org`. */
  organizationId?: string;
  /** When given, only these project names resolve; otherwise any name does. */
  projects?: string[];
  /**
   * Directory of the SQLite database (created 0700, files 0600). Omitted: an
   * in-memory SQLite database. Where the runtime has no SQLite engine,
   * {@link LocalBackend.start} rejects with `PersistenceUnavailableError`.
   */
  dataPath?: string;
  /** When the oldest traces are removed. */
  retention?: RetentionOptions;
  /** Caps on ingest requests. */
  limits?: IngestLimits;
  /**
   * Extra `Host` names (or `host:port`) the viewer and APIs answer to, beside the
   * loopback names and the bound address; `"*"` allows any (not recommended:
   * it re-opens DNS rebinding).
   */
  allowedHosts?: string[];
  /** Forward every accepted ingest request, as received, to this OTLP/HTTP traces URL (e.g. a Collector's `/v1/traces`). */
  forwardTo?: string;
  /** Receives operational warnings (forwarding failing, a damaged database); default `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /** Most recent requests kept in {@link LocalBackend.requests}; default 10000. */
  requestLogLimit?: number;
}

/** Options of the event-driven waits. */
export interface WaitOptions {
  /** Reject after this long; default 5000 ms. */
  timeoutMs?: number;
}
