import { FaultQueue } from "./server/faults.js";
import { Forwarder } from "./server/forwarder.js";
import { HostCheck } from "./server/host-check.js";
import { HttpFrontEnd } from "./server/http-server.js";
import { DEFAULT_DECODE_LIMITS } from "./otlp/decode.js";
import { ChangeFeed } from "./store/changes.js";
import { GroupCommit } from "./store/group-commit.js";
import { openStore } from "./store/open-store.js";
import { ProjectRegistry } from "./store/projects.js";
import { TraceQueries } from "./store/queries.js";
import type { TraceStore } from "./store/trace-store.js";
import { apiV1Routes } from "./server/api-v1-routes.js";
import { legacyQueryRoutes } from "./server/legacy-query-routes.js";
import { RequestLog } from "./server/request-log.js";
import type { LocalBackendOptions, WaitOptions } from "./options.js";
import type { BackendCounters, FaultSpec, RequestCounters, RequestRecord } from "./server/types.js";
import type { ExperimentRun, SessionSummary, SpanFilter, TraceDetail, TracePage, TraceQuery, TraceSummary } from "./store/query-types.js";
import type { StoredSpan } from "./store/span-types.js";
import type { IntegrityState, StorageMode } from "./store/trace-store.js";
import { viewerRoutes } from "./viewer/routes.js";
import { waitUntil } from "./store/wait.js";
import { wireRoutes } from "./server/wire-routes.js";
import { decodeCursor } from "./store/trace-store.js";

/** API key the backend expects unless told otherwise (local development only). */
export const DEFAULT_API_KEY = "local-dev-key";
/** Organization id the backend expects unless told otherwise (local development only). */
export const DEFAULT_ORGANIZATION_ID = "local-dev-org";

const DEFAULT_WAIT_MS = 5000;
const DEFAULT_PENDING_BYTES = 64 * 1024 * 1024;

function warn(options: LocalBackendOptions): (message: string) => void {
  return options.onWarning ?? ((message) => process.emitWarning(message, "JudgevalDevWarning"));
}

/** A condition on stored spans: a minimum count, or a predicate over the matching spans. */
export type SpanCondition = number | ((spans: StoredSpan[]) => boolean);

/**
 * A Judgment-compatible backend on loopback: the endpoints of docs/wire.md (project
 * resolve, live and offline OTLP/protobuf ingest, trace tags) with credential
 * checks, a SQLite span store that folds partial emits, in-process queries, a
 * versioned JSON query API and trace viewer, event-driven waits for tests, and
 * fault injection for delivery tests.
 *
 * @example
 * const backend = await LocalBackend.start();
 * Tracer.init({ apiUrl: backend.url, apiKey: backend.apiKey, organizationId: backend.organizationId, projectName: "demo" });
 * const spans = await backend.waitForSpans(3);
 * console.log(`viewer: ${backend.url}/`);
 * await backend.close();
 */
export class LocalBackend {
  /** Bearer key that requests to the wire endpoints must carry. */
  readonly apiKey: string;
  /** `X-Organization-Id` that requests to the wire endpoints must carry. */
  readonly organizationId: string;
  /** Interface the server listens on. */
  readonly host: string;
  /** Directory of the database, when persistent. */
  readonly dataPath: string | undefined;

  private readonly queries: TraceQueries;
  private readonly projects: ProjectRegistry;
  private readonly changes = new ChangeFeed();
  private readonly faults = new FaultQueue();
  private readonly requestLog: RequestLog;
  private readonly forwarder: Forwarder | undefined;
  private readonly counterValues: RequestCounters = {
    acceptedSpans: 0,
    acceptedLiveSpans: 0,
    acceptedOfflineSpans: 0,
    ingestRequests: 0,
    rejectedRequests: 0,
  };
  private readonly frontEnd: HttpFrontEnd;
  private boundPort = 0;
  private readonly writer: GroupCommit;

  private constructor(
    options: LocalBackendOptions,
    private readonly store: TraceStore,
  ) {
    this.dataPath = options.dataPath;
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.organizationId = options.organizationId ?? DEFAULT_ORGANIZATION_ID;
    this.host = options.host ?? "127.0.0.1";
    this.queries = new TraceQueries(store);
    this.writer = new GroupCommit(store);
    this.projects = new ProjectRegistry(options.projects);
    this.projects.load(store.projects());
    this.projects.setListener((project) => store.addProject(project));
    this.requestLog = new RequestLog(options.requestLogLimit ?? 10_000);
    this.forwarder = options.forwardTo === undefined ? undefined : new Forwarder(options.forwardTo, warn(options));
    const limits = options.limits ?? {};
    this.frontEnd = new HttpFrontEnd({
      routes: [
        ...wireRoutes({
          projects: this.projects,
          store,
          writer: this.writer,
          changes: this.changes,
          counters: this.counterValues,
          limits: {
            maxSpans: limits.maxSpansPerRequest ?? DEFAULT_DECODE_LIMITS.maxSpans,
            maxAttributes: limits.maxAttributesPerSpan ?? DEFAULT_DECODE_LIMITS.maxAttributes,
            maxDepth: limits.maxValueDepth ?? DEFAULT_DECODE_LIMITS.maxDepth,
          },
          maxPendingBytes: limits.maxPendingBytes ?? DEFAULT_PENDING_BYTES,
          forwarder: this.forwarder,
        }),
        ...legacyQueryRoutes({ queries: this.queries, projects: this.projects, onChange: this.changes.subscribe }),
        ...apiV1Routes({
          queries: this.queries,
          projects: this.projects,
          counters: () => this.counters,
          storageMode: () => this.storageMode,
          integrity: () => store.integrity(),
        }),
        ...viewerRoutes(),
      ],
      faults: this.faults,
      requestLog: this.requestLog,
      counters: this.counterValues,
      apiKey: this.apiKey,
      organizationId: this.organizationId,
      hostCheck: new HostCheck(this.host, options.allowedHosts),
    });
  }

  /**
   * Starts a backend and resolves once it accepts connections. With `dataPath`,
   * opens (or creates) the SQLite database there; without, keeps spans in an
   * in-memory database.
   * @throws PersistenceUnavailableError when the runtime has no SQLite engine
   *   (neither node:sqlite nor bun:sqlite).
   */
  static async start(options: LocalBackendOptions = {}): Promise<LocalBackend> {
    const store = await openStore(options.dataPath, options.retention, warn(options));
    let backend: LocalBackend;
    try {
      backend = new LocalBackend(options, store);
      backend.boundPort = await backend.frontEnd.listen(options.port ?? 0, backend.host);
    } catch (err) {
      store.close();
      throw err;
    }
    return backend;
  }

  /** Where spans are kept: a SQLite file or an in-memory SQLite database. */
  get storageMode(): StorageMode {
    return this.store.mode;
  }

  /** Port the server is bound to (kept across `stop()`/`restart()`). */
  get port(): number {
    return this.boundPort;
  }

  /** Base URL to use as `apiUrl`, e.g. `http://127.0.0.1:4318`. */
  get url(): string {
    const host = this.host.includes(":") ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  /** True while the server accepts connections. */
  get listening(): boolean {
    return this.frontEnd.listening;
  }

  /**
   * The id `name` resolves to, registering the name when the backend accepts any
   * project; undefined when the project list is fixed and does not include it.
   */
  projectId(name: string): string | undefined {
    return this.projects.resolve(name);
  }

  /** Stored spans (latest copy of each), in start order. */
  spans(filter: SpanFilter = {}): StoredSpan[] {
    return this.queries.spans(filter);
  }

  /** One summary per trace (live and offline apart) matching `query`, newest first; `limit` and `cursor` are ignored. */
  traces(query: TraceQuery = {}): TraceSummary[] {
    return this.queries.traces({ ...query, limit: undefined, cursor: undefined });
  }

  /** One page of the trace list (what `GET /api/v1/traces` returns). */
  tracePage(query: TraceQuery = {}): TracePage {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    return this.queries.page(query, Math.min(Math.max(query.limit ?? 50, 1), 1000), after);
  }

  /** Spans of one trace in start order; both sides unless `offline` is given. Empty when unknown. */
  trace(traceId: string, options: { offline?: boolean } = {}): StoredSpan[] {
    return this.queries.trace(traceId, options.offline);
  }

  /** A trace with its summaries, spans, tags and linked traces (what `GET /api/traces/:id` returns). */
  traceDetail(traceId: string, options: { offline?: boolean } = {}): TraceDetail | undefined {
    return this.queries.detail(traceId, options.offline);
  }

  /** Tags of a trace, in the order first received. */
  tags(traceId: string): string[] {
    return this.queries.tags(traceId);
  }

  /** Sessions among the newest traces (what `GET /api/v1/sessions` returns). */
  sessions(query: TraceQuery = {}): SessionSummary[] {
    return this.queries.sessions(query);
  }

  /** Experiment runs of offline traces (what `GET /api/v1/experiments` returns). */
  experiments(query: TraceQuery = {}): ExperimentRun[] {
    return this.queries.experiments(query);
  }

  /** Received requests, oldest first (the most recent `requestLogLimit`). */
  get requests(): RequestRecord[] {
    return this.requestLog.list();
  }

  /** What the integrity check of the database found: `checking` until it is done, `unchecked` in memory. */
  get integrity(): IntegrityState {
    return this.store.integrity();
  }

  /** A snapshot of the running totals. */
  get counters(): BackendCounters {
    return { ...this.counterValues, ...this.store.stats(), ...this.forwarder?.stats };
  }

  /**
   * Resolves with the spans matching `filter` once there are at least `condition`
   * of them, or once `condition(spans)` is true. Re-checked on every ingest, never
   * by polling; rejects after `timeoutMs` (default 5000).
   */
  waitForSpans(condition: SpanCondition, options: WaitOptions & SpanFilter = {}): Promise<StoredSpan[]> {
    const { timeoutMs, ...filter } = options;
    const holds = typeof condition === "number" ? (s: StoredSpan[]) => s.length >= condition : condition;
    return waitUntil(
      this.changes.subscribe,
      () => {
        const spans = this.queries.spans(filter);
        return holds(spans) && spans;
      },
      timeoutMs ?? DEFAULT_WAIT_MS,
      () =>
        `${typeof condition === "number" ? `${condition} spans` : "span predicate"}; stored: ` +
        (this.queries
          .spans(filter)
          .map((s) => `${s.name}#${s.updateId}`)
          .join(", ") || "none"),
    );
  }

  /** Resolves with the request log once `predicate` holds for it (checked on every request change). */
  waitForRequests(predicate: (requests: RequestRecord[]) => boolean, options: WaitOptions = {}): Promise<RequestRecord[]> {
    return waitUntil(
      (l) => this.requestLog.onChange(l),
      () => {
        const requests = this.requestLog.list();
        return predicate(requests) && requests;
      },
      options.timeoutMs ?? DEFAULT_WAIT_MS,
      () =>
        `requests: ${
          this.requestLog
            .list()
            .map((r) => `${r.method} ${r.path} ${r.status}`)
            .join("; ") || "none"
        }`,
    );
  }

  /** Makes the next matching requests to the wire endpoints fail as described (see {@link FaultSpec}). */
  injectFault(fault: FaultSpec = {}): void {
    this.faults.add(fault);
  }

  /** Drops every pending fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Closes the listening socket and every connection; stored data is kept. */
  stop(): Promise<void> {
    return this.frontEnd.close();
  }

  /** Listens again on the same port after {@link stop}. */
  async restart(): Promise<void> {
    if (this.frontEnd.listening) return;
    await this.frontEnd.listen(this.boundPort, this.host);
  }

  /** Stops the server for good and closes the database. */
  async close(): Promise<void> {
    await this.frontEnd.close();
    this.projects.setListener(undefined);
    this.writer.flush();
    this.store.close();
  }
}
