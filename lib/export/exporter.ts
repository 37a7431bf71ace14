import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { endpoint } from "../config/credentials.js";
import { authHeaders } from "./headers.js";

/** Live spans go here; the offline tracer uses {@link OFFLINE_TRACES_PATH}. */
export const TRACES_PATH = "/otel/v1/traces";
/** Where the offline (experiment) tracer sends its spans. */
export const OFFLINE_TRACES_PATH = "/otel/v1/offline-traces";

/** What the exporter needs to reach the Judgment API. */
export interface JudgmentExporterOptions {
  apiUrl: string;
  apiKey: string;
  organizationId: string;
  /** Endpoint path, e.g. {@link TRACES_PATH}. */
  path: string;
  /** Settles with the project id once resolved, or undefined when export is off. */
  projectId: Promise<string | undefined>;
  timeoutMillis: number;
}

const FAILED: ExportResult = { code: ExportResultCode.FAILED, error: new Error("judgeval export is off") };

/**
 * OTLP/HTTP protobuf exporter to a Judgment endpoint. The project id is only known after
 * resolution, so batches handed over before then wait for it instead of being dropped.
 */
export class JudgmentSpanExporter implements SpanExporter {
  private otlp: OTLPTraceExporter | undefined;
  private readonly ready: Promise<OTLPTraceExporter | undefined>;

  constructor(readonly options: JudgmentExporterOptions) {
    this.ready = options.projectId.then((projectId) => {
      if (!projectId) return undefined;
      this.otlp = new OTLPTraceExporter({
        url: endpoint(options.apiUrl, options.path),
        headers: { ...authHeaders(options.apiKey, options.organizationId), "X-Project-Id": projectId },
        timeoutMillis: options.timeoutMillis,
      });
      return this.otlp;
    });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.otlp) return this.otlp.export(spans, resultCallback);
    void this.ready.then((otlp) => (otlp ? otlp.export(spans, resultCallback) : resultCallback(FAILED)));
  }

  async forceFlush(): Promise<void> {
    await (await this.ready)?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await (await this.ready)?.shutdown();
  }
}
