/**
 * The public API of `judgeval`, the same in the Node build (`index.ts`) and the edge build
 * (`edge.ts`): the entries differ only in the platform they choose (tracer/platform.ts).
 */
export { Tracer } from "./tracer/tracer.js";
export { observe, type ObserveOptions, type MethodDecorator, type Callable } from "./api/observe.js";
export type { LLMMetadata } from "./api/annotate.js";
export type { SpanKindName } from "./wire/keys.js";
export type { TracerConfig } from "./tracer/options/types.js";
export { safeSerialize, createSerializer, type Serializer, type SerializerOptions } from "./serialize/index.js";
export { VERSION } from "./wire/version.js";
export { propagation } from "./propagation/propagation.js";
export type { Carrier } from "./propagation/carrier.js";
export type { ScopedValues, ContinueTraceOptions } from "./api/propagate.js";
export type { IncomingTrust } from "./api/incoming.js";
export type { LinkedTraceOptions } from "./api/linked.js";
export type { AsyncEvaluateRequest } from "./api/evaluate.js";
export type { OTELInstrumentation } from "./tracer/tracer.js";
export { OfflineTracer, type OfflineTracerConfig } from "./tracer/offline-tracer.js";
export { Judgeval, type JudgevalConfig, type OfflineTracerOptions } from "./tracer/judgeval.js";
export { Example, type ExampleJSON } from "./offline/example.js";
export type { Mask } from "./pipeline/redact.js";
export type { RetryOptions } from "./pipeline/retry.js";
export { wrap } from "./tracer/lazy-wrap.js";
export { PRICES_AS_OF } from "./pricing/as-of.js";
export type { ModelPrice, PriceTable } from "./pricing/prices.js";
