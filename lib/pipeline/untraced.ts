import { context } from "@opentelemetry/api";
import { suppressTracing } from "../otel/sdk.js";

/**
 * Runs `fn` with OpenTelemetry tracing suppressed, for every request the SDK makes (project
 * resolution, tags, export, spool re-sends): registered HTTP instrumentations then make no span of
 * it and inject no trace context, so the SDK never traces itself. What `fn` schedules inherits it.
 */
export function untraced<R>(fn: () => R): R {
  return context.with(suppressTracing(context.active()), fn);
}
