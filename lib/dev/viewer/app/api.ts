import type { ExperimentRun, SessionSummary, SpanOutline, TraceOutline, TracePage, TraceSummary } from "../../store/query-types.js";
import type { StoredSpan } from "../../store/span-types.js";

export type { ExperimentRun, SessionSummary, SpanOutline, StoredSpan, TraceOutline, TracePage, TraceSummary };

/** Thrown for a non-2xx answer; `status` 404 means "not stored". */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GETs a query API path (`/api/v1/...`) with the given parameters (empty ones left out). */
export async function getJson<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") query.set(k, v);
  const qs = query.toString();
  const res = await fetch(`${path}${qs ? `?${qs}` : ""}`, { headers: { accept: "application/json" } });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
  return body;
}

/**
 * Calls `onChange` after stored data changes (server-sent events). The returned
 * element-state setter reports whether the stream is connected ("live").
 */
export function subscribeChanges(onChange: () => void, onState: (connected: boolean) => void): void {
  const source = new EventSource("/api/v1/events");
  source.addEventListener("open", () => onState(true));
  source.addEventListener("error", () => onState(false));
  source.addEventListener("change", () => onChange());
}
