// otlp-exporter-base publishes its Node HTTP transport as the subpath export "./node-http", which
// TypeScript's node10 resolution (this package's CommonJS build) cannot see. The two functions
// and the configuration used here, as that subpath's own types declare them.
declare module "@opentelemetry/otlp-exporter-base/node-http" {
  import type { Agent as HttpAgent } from "node:http";
  import type { Agent as HttpsAgent } from "node:https";
  import type { MeterProvider } from "@opentelemetry/api";
  import type { IOtlpExportDelegate, OTLPExporterConfigBase } from "@opentelemetry/otlp-exporter-base";
  import type { IExporterMetricsHelper, ISerializer } from "@opentelemetry/otlp-transformer";

  export interface OTLPExporterNodeConfigBase extends OTLPExporterConfigBase {
    keepAlive?: boolean;
    httpAgentOptions?: (protocol: string) => HttpAgent | HttpsAgent | Promise<HttpAgent> | Promise<HttpsAgent>;
    userAgent?: string;
  }

  export interface OtlpNodeHttpConfiguration {
    readonly url: string;
  }
  export function convertLegacyHttpOptions(
    config: OTLPExporterNodeConfigBase,
    signalIdentifier: string,
    signalResourcePath: string,
    requiredHeaders: Record<string, string>,
  ): OtlpNodeHttpConfiguration;
  export function createOtlpHttpExportDelegate<Internal, Response>(
    options: OtlpNodeHttpConfiguration,
    serializer: ISerializer<Internal, Response>,
    metricsComponentType: string,
    exporterMetricsHelper: IExporterMetricsHelper<Internal>,
    meterProvider: MeterProvider | undefined,
  ): IOtlpExportDelegate<Internal>;
}
