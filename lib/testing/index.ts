/**
 * `judgeval/testing`: capture the traces your code makes, in memory, and assert on them in jest
 * or vitest. No server, no network, no credentials.
 * @packageDocumentation
 */
// This subpath makes tracers and runs on Node: used without `judgeval`, it needs the Node entry
// to have chosen the platform (tracer/platform.ts).
import "../index.js";
export { captureTraces, createTraceCapture, type CaptureOptions, type CaptureResult, type TraceCapture } from "./capture.js";
export type { CapturedScore, CapturedSpan, CapturedTrace, CapturedUsage } from "./tree.js";
export { findSpan, findSpans, outline, spanMatches, type SpanQuery, type SpanSource } from "./query.js";
export { judgevalMatchers, type JudgevalMatchers, type MatcherResult } from "./matchers.js";
