/**
 * judgeval: the tracing SDK of the Judgment platform, on OpenTelemetry.
 * @packageDocumentation
 */
import { usePlatform } from "./tracer/platform.js";
import { NODE } from "./tracer/node-platform.js";

usePlatform(NODE);

export * from "./public-api.js";
