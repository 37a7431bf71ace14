/**
 * OpenTelemetry's trace SDK, as this package uses it. The build bundles this module with the SDK
 * packages it names into one file (scripts/bundle-otel.js), so an installed judgeval depends on
 * `@opentelemetry/api` alone: the SDK line an app runs (2.x or 3.x) never has to match ours, and
 * npm never has to place a second SDK whose API peer range clashes with the app's
 * (docs/architecture.md, "OpenTelemetry inside").
 */
export { TracerProvider } from "@opentelemetry/sdk-trace";
export type { ReadableSpan, Sampler, Span, SpanExporter, SpanLimits, SpanProcessor, TimedEvent } from "@opentelemetry/sdk-trace";
export { CompositePropagator, ExportResultCode, hrTime, isTracingSuppressed, suppressTracing } from "@opentelemetry/core";
export type { ExportResult, InstrumentationScope } from "@opentelemetry/core";
export { resourceFromAttributes } from "@opentelemetry/resources";
export type { Resource } from "@opentelemetry/resources";
export { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
