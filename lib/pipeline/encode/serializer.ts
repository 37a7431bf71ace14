import { ProtobufTraceSerializer, type IExportTraceServiceResponse, type ISerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { TraceRequestEncoder } from "./traceRequest.js";

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
