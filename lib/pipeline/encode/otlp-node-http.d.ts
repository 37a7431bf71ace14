// otlp-exporter-base publishes its Node HTTP transport as the subpath export "./node-http", which
// TypeScript's node10 resolution (this package's CommonJS build) cannot see. The two functions
// used here, as that subpath's own types declare them; the configuration is passed through.
declare module "@opentelemetry/otlp-exporter-base/node-http" {
  import type { MeterProvider } from "@opentelemetry/api";
  import type { IOtlpExportDelegate, OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base";
  import type { IExporterMetricsHelper, ISerializer } from "@opentelemetry/otlp-transformer";

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
