/**
 * `judgeval/testing`: capture the traces your code makes, in memory, and assert on them in jest
 * or vitest. No server, no network, no credentials.
 * @packageDocumentation
 */
// This subpath makes tracers: loading the package's entry by name lets the same export conditions
// as `judgeval`'s choose the platform (Node's, or the edge runtimes') when it is used alone.
import "judgeval";
export { captureTraces, createTraceCapture, type CaptureOptions, type CaptureResult, type TraceCapture } from "./capture.js";
export type { CapturedScore, CapturedSpan, CapturedTrace, CapturedUsage } from "./tree.js";
export { findSpan, findSpans, outline, spanMatches, type SpanQuery, type SpanSource } from "./query.js";
export { judgevalMatchers, type JudgevalMatchers, type MatcherResult } from "./matchers.js";
