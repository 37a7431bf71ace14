import { FaultQueue } from "./server/faults.js";
import { HttpFrontEnd } from "./server/http-server.js";
import { ProjectRegistry } from "./store/projects.js";
import { TraceQueries } from "./store/queries.js";
import { queryRoutes } from "./server/query-routes.js";
import { RequestLog } from "./server/request-log.js";
import { SpanStore } from "./store/span-store.js";
import { SqlitePersistence } from "./store/sqlite-persistence.js";
import type {
  BackendCounters,
  FaultSpec,
  LocalBackendOptions,
  RequestRecord,
  SpanFilter,
  StoredSpan,
  TraceDetail,
  TraceSummary,
  WaitOptions,
} from "./types.js";
import { viewerRoutes } from "./viewer/routes.js";
import { waitUntil } from "./store/wait.js";
import { wireRoutes } from "./server/wire-routes.js";

/** API key the backend expects unless told otherwise (local development only). */
export const DEFAULT_API_KEY = "local-dev-key";
/** Organization id the backend expects unless told otherwise (local development only). */
export const DEFAULT_ORGANIZATION_ID = "local-dev-org";

const DEFAULT_WAIT_MS = 5000;

/** A condition on stored spans: a minimum count, or a predicate over the matching spans. */
export type SpanCondition = number | ((spans: StoredSpan[]) => boolean);

/**
 * A Judgment-compatible backend on loopback: the WIRE.md endpoints (project
 * resolve, live and offline OTLP/protobuf ingest, trace tags) with credential
 * checks, a span store that folds partial emits (optionally persisted in SQLite),
 * in-process queries, a JSON query API and trace viewer, event-driven waits for
 * tests, and fault injection for delivery tests.
 *
 * @example
 * const backend = await LocalBackend.start();
 * Tracer.init({ apiUrl: backend.url, apiKey: backend.apiKey, organizationId: backend.organizationId, projectName: "demo" });
 * const spans = await backend.waitForSpans(3);
 * console.log(`viewer: ${backend.url}/`);
 * await backend.close();
 */
export class LocalBackend {
  /** Bearer key that WIRE.md requests must carry. */
  readonly apiKey: string;
  /** `X-Organization-Id` that WIRE.md requests must carry. */
  readonly organizationId: string;
  /** Interface the server listens on. */
  readonly host: string;

  /** Directory of the database, when persistent. */
  readonly dataPath: string | undefined;

  private readonly store = new SpanStore();
  private readonly queries = new TraceQueries(this.store);
  private readonly projects: ProjectRegistry;
  private readonly faults = new FaultQueue();
  private readonly requestLog: RequestLog;
  private readonly counterValues: BackendCounters = {
    acceptedSpans: 0,
    acceptedLiveSpans: 0,
    acceptedOfflineSpans: 0,
    ingestRequests: 0,
    rejectedRequests: 0,
  };
  private readonly frontEnd: HttpFrontEnd;
  private boundPort = 0;
  private persistence: SqlitePersistence | undefined;

  private constructor(options: LocalBackendOptions) {
    this.dataPath = options.dataPath;
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.organizationId = options.organizationId ?? DEFAULT_ORGANIZATION_ID;
    this.host = options.host ?? "127.0.0.1";
    this.projects = new ProjectRegistry(options.projects);
    this.requestLog = new RequestLog(options.requestLogLimit ?? 10_000);
    this.frontEnd = new HttpFrontEnd({
      routes: [
        ...wireRoutes({ projects: this.projects, store: this.store, counters: this.counterValues }),
        ...queryRoutes({ queries: this.queries, projects: this.projects, onChange: (l) => this.store.onChange(l) }),
        ...viewerRoutes(),
      ],
      faults: this.faults,
      requestLog: this.requestLog,
      counters: this.counterValues,
      apiKey: this.apiKey,
      organizationId: this.organizationId,
    });
  }

  /**
   * Starts a backend and resolves once it accepts connections. With `dataPath`,
   * first loads what the database there holds.
   * @throws PersistenceUnavailableError when `dataPath` is given but the optional
   *   dependency better-sqlite3 is not installed.
   */
  static async start(options: LocalBackendOptions = {}): Promise<LocalBackend> {
    const backend = new LocalBackend(options);
    if (options.dataPath !== undefined) await backend.attachPersistence(options.dataPath);
    try {
      backend.boundPort = await backend.frontEnd.listen(options.port ?? 0, backend.host);
    } catch (err) {
      backend.persistence?.close();
      throw err;
    }
    return backend;
  }

  private async attachPersistence(dataPath: string): Promise<void> {
    const persistence = await SqlitePersistence.open(dataPath);
    const data = persistence.load();
    this.projects.load(data.projects);
    this.store.load(data.spans, data.tags);
    this.projects.setListener((project) => persistence.projectAdded(project));
    this.store.setSink(persistence);
    this.persistence = persistence;
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

  /** One summary per trace (live and offline apart), newest first. */
  traces(filter: SpanFilter = {}): TraceSummary[] {
    return this.queries.traces(filter);
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

  /** Received requests, oldest first (the most recent `requestLogLimit`). */
  get requests(): RequestRecord[] {
    return this.requestLog.list();
  }

  /** A snapshot of the running totals. */
  get counters(): BackendCounters {
    return { ...this.counterValues };
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
      (l) => this.store.onChange(l),
      () => {
        const spans = this.queries.spans(filter);
        return holds(spans) && spans;
      },
      timeoutMs ?? DEFAULT_WAIT_MS,
      () =>
        `${typeof condition === "number" ? `${condition} spans` : "span predicate"}; stored: ` +
        (this.queries.spans(filter).map((s) => `${s.name}#${s.updateId}`).join(", ") || "none"),
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
      () => `requests: ${this.requestLog.list().map((r) => `${r.method} ${r.path} ${r.status}`).join("; ") || "none"}`,
    );
  }

  /** Makes the next matching WIRE.md requests fail as described (see {@link FaultSpec}). */
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
    this.store.setSink(undefined);
    this.projects.setListener(undefined);
    this.persistence?.close();
    this.persistence = undefined;
  }
}
