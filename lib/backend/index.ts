export { LocalBackend, DEFAULT_API_KEY, DEFAULT_ORGANIZATION_ID, type SpanCondition } from "./local-backend.js";
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
  TraceSummary,
  WaitOptions,
} from "./types.js";
