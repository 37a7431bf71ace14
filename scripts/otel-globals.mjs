// Injected into the OpenTelemetry bundles (scripts/bundle-otel.js): the SDK's Node code uses the
// global `Buffer`, which the Vercel Edge runtime lacks; an import of `node:buffer` works on Node,
// in Workers and in Vercel Edge alike.
export { Buffer } from "node:buffer";
