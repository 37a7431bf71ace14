import type { Span, Tracer as OtelTracer } from "@opentelemetry/api";
import type { PriceTable } from "../pricing/prices.js";
import type { Recording } from "../serialize/recording.js";

/**
 * What the instrumentation (api/, llm/, integrations) needs of a tracer: the OpenTelemetry tracer
 * spans are made with, the recording options compiled at init into ready functions
 * ({@link Recording}), and the few platform calls. The tracer's composition root builds the object
 * that implements it; instrumentation depends on this, never on the `Tracer` facade.
 */
export interface Recorder extends Recording {
  /** The OpenTelemetry tracer spans are made with. */
  readonly otelTracer: OtelTracer;
  /** Whether `span` was started by this tracer and is still open. */
  owns(span: Span): boolean;
  /** False when nothing would consume spans (no export, no user processor). */
  readonly recording: boolean;
  /** An offline (experiment) tracer: no tags, no evaluations. */
  readonly offline: boolean;
  /**
   * No attribute limit is configured (`spanLimits`): attributes the SDK builds itself may be
   * written to its spans without the OpenTelemetry SDK's checks of each.
   */
  readonly unlimitedAttributes: boolean;
  /** The resolved project id, once known. */
  readonly projectId: string | undefined;
  /** Prices overriding or extending the built-in table. */
  readonly prices: PriceTable | undefined;
  /** Sends tags for `traceId` in the background. */
  sendTags(traceId: string, tags: string[]): void;
}
