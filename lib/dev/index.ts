export { LocalBackend, DEFAULT_API_KEY, DEFAULT_ORGANIZATION_ID, type SpanCondition } from "./local-backend.js";
export { PersistenceUnavailableError, DATABASE_FILE, DEFAULT_RETENTION } from "./store/open-store.js";
export { PREVIEW_CHARS } from "./store/query-types.js";
export type { AttributeValue, Attributes, SpanKindName, StatusCodeName, StoredEvent, StoredLink, StoredSpan } from "./store/span-types.js";
export type {
  ExperimentExample,
  ExperimentScore,
  ExperimentRun,
  SessionSummary,
  SpanFilter,
  SpanOutline,
  TraceDetail,
  TraceLink,
  TraceOutline,
  TracePage,
  TraceQuery,
  TraceStatusFilter,
  TraceSummary,
} from "./store/query-types.js";
export type { IntegrityState, StorageMode } from "./store/trace-store.js";
export type { RetentionOptions } from "./store/open-store.js";
export type { BackendCounters, FaultRoute, FaultSpec, RequestRecord } from "./server/types.js";
export type { IngestLimits, LocalBackendOptions, WaitOptions } from "./options.js";
