export { LocalBackend, DEFAULT_API_KEY, DEFAULT_ORGANIZATION_ID, type SpanCondition } from "./local-backend.js";
export { PersistenceUnavailableError, DATABASE_FILE } from "./store/sqlite-persistence.js";
export type {
  AttributeValue,
  Attributes,
  BackendCounters,
  FaultRoute,
  FaultSpec,
  LocalBackendOptions,
  RequestRecord,
  SpanFilter,
  SpanKindName,
  StatusCodeName,
  StoredEvent,
  StoredLink,
  StoredSpan,
  TraceDetail,
  TraceLink,
  TraceSummary,
  WaitOptions,
} from "./types.js";
