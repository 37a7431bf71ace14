import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
  OTLPExporterBase,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
  type IExportTraceServiceResponse,
  type ISerializer,
  type OTLPExporterNodeConfigBase,
} from "../../otel/otlp.js";
import type { ReadableSpan } from "../../otel/sdk.js";
import { TraceRequestEncoder } from "./trace-request.js";

/** The OTLP/HTTP trace exporter: what it is called in OpenTelemetry's self-observability metrics. */
const COMPONENT_TYPE = "otlp_http_span_exporter";

/**
 * The serializer our exporter hands OpenTelemetry's OTLP/HTTP transport: requests are encoded
 * by {@link TraceRequestEncoder}, responses read by OpenTelemetry's own protobuf serializer.
 * One per exporter: the encoder keeps a buffer and its cached resource and scope bytes.
 */
export function traceSerializer(): ISerializer<ReadableSpan[], IExportTraceServiceResponse> {
  const encoder = new TraceRequestEncoder();
  return {
    serializeRequest: (spans) => encoder.encode(spans),
    deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
  };
}

/**
 * OpenTelemetry's OTLP/HTTP protobuf trace exporter — the same HTTP transport, compression,
 * retries, bounded concurrency and environment configuration as `@opentelemetry/exporter-trace-otlp-proto`
 * builds, through otlp-exporter-base's public factory — with our encoder as its serializer.
 */
export function createTraceExporter(config: OTLPExporterNodeConfigBase): OTLPExporterBase<ReadableSpan[]> {
  const options = convertLegacyHttpOptions(config, "TRACES", "v1/traces", { "Content-Type": "application/x-protobuf" });
  return new OTLPExporterBase(
    createOtlpHttpExportDelegate(options, traceSerializer(), COMPONENT_TYPE, TraceExporterMetricsHelper, undefined),
  );
}
