/**
 * OpenTelemetry's OTLP/HTTP transport and response reader, as the exporter uses them. Bundled by
 * the build like ./sdk.ts, into a file of its own: it loads with the export stack, on first use.
 */
export { OTLPExporterBase } from "@opentelemetry/otlp-exporter-base";
export { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from "@opentelemetry/otlp-exporter-base/node-http";
export type { OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base/node-http";
export { ProtobufTraceSerializer, TraceExporterMetricsHelper } from "@opentelemetry/otlp-transformer";
export type { IExportTraceServiceResponse, ISerializer } from "@opentelemetry/otlp-transformer";
