import type { Attributes } from "@opentelemetry/api";
import type { Sampler, SpanLimits, SpanProcessor } from "../../otel/sdk.js";
import type { PriceTable } from "../../pricing/prices.js";
import type { Serializer } from "../../serialize/index.js";
import type { Mask } from "../../pipeline/redact.js";
import type { RetryOptions } from "../../pipeline/retry.js";

/** Options of {@link Tracer.init}. Every credential falls back to its environment variable. */
export interface TracerConfig {
  /** Judgment project name; required for export. */
  projectName?: string;
  /** API key; default `JUDGMENT_API_KEY`. */
  apiKey?: string;
  /** Organization id; default `JUDGMENT_ORG_ID`. */
  organizationId?: string;
  /** API base URL; default `JUDGMENT_API_URL`, else `https://api.judgmentlabs.ai`. A path prefix is kept. */
  apiUrl?: string;
  /** Deployment label, exported as the `deployment.environment` resource attribute. */
  environment?: string;
  /** Make this tracer the active one for the static API (default true). */
  setActive?: boolean;
  /** Replaces the default serializer of inputs, outputs and non-primitive attributes. */
  serializer?: Serializer;
  /** Cap in UTF-8 bytes of one serialized attribute (default 65536). Applies to a custom serializer too. */
  maxAttributeBytes?: number;
  /** Extra OpenTelemetry resource attributes. */
  resourceAttributes?: Attributes;
  /** Custom OpenTelemetry sampler. */
  sampler?: Sampler;
  /** OpenTelemetry span limits. */
  spanLimits?: SpanLimits;
  /** Span processors run after the Judgment processor. */
  spanProcessors?: SpanProcessor[];
  /** How often buffered spans are exported, in ms (default 1000). */
  exportIntervalMillis?: number;
  /** Spans buffered at most before new ones are dropped and counted (default 20480). */
  maxQueueSize?: number;
  /**
   * Open spans kept for partial emits at most (default 10000). Spans started while that many are
   * open are still exported when they end, but get no in-progress copy; a warning counts them.
   */
  maxOpenSpans?: number;
  /** Spans per export request at most (default 512). */
  maxExportBatchSize?: number;
  /** Timeout of one export request, in ms (default 10000). */
  exportTimeoutMillis?: number;
  /**
   * Also install this tracer's provider as the global OpenTelemetry tracer provider and W3C
   * trace context as the global propagator, for apps that use the OpenTelemetry API directly.
   */
  registerGlobal?: boolean;
  /** Retries of batches that failed with a retryable error (network, timeout, 408, 429, 5xx). */
  retry?: RetryOptions;
  /**
   * Directory where batches that could not be delivered are written, to be re-sent when the
   * backend is back, also by a later process of the same project. Default `JUDGMENT_SPOOL_DIR`.
   */
  spoolDir?: string;
  /**
   * Applied to every attribute value (inputs and outputs as their JSON text) just before export;
   * return `undefined` to drop it. A mask that throws drops the value.
   */
  mask?: Mask;
  /** False: record no inputs or outputs at all (default true). */
  recordInputOutput?: boolean;
  /**
   * LLM prices in USD per million tokens, by model name, for the cost that wrapped clients record
   * (`judgment.usage.total_cost_usd`); adds models to the built-in table or overrides its prices.
   * Dated snapshots and provider prefixes resolve to these names as to the built-in ones, e.g.
   * `{ "my-finetune": { input: 0.3, output: 1.2 }, "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 } }`.
   */
  prices?: PriceTable;
  /**
   * Custom propagated attribute keys your services exchange (`setPropagatingAttribute`,
   * `scopedContext` attributes): besides the session, customer and customer user ids, the only
   * keys of incoming W3C baggage that become span attributes. (All of the app's baggage is
   * forwarded by `propagation.inject`, declared or not.) Keys starting `judgment.` are refused.
   * See docs/security.md.
   */
  propagatingKeys?: string[];
  /**
   * On SIGTERM or SIGINT, when the app has no handler of its own for the signal, flush pending
   * spans (at most 5 s) before the default exit (default true). False leaves signals alone.
   */
  flushOnSignal?: boolean;
}
