import { execFile } from "node:child_process";
import { copyFileSync, cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { judgmentEnv, type StartedBackend } from "./backend.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/otel-apps");

/**
 * Apps on each OpenTelemetry JS line as they exist before judgeval is added: the 2.x line (API 1.9,
 * `sdk-node` 0.2xx, instrumentations 0.2xx) and the 3.x line (API 1.10, `sdk-trace` 3.x, `sdk-node`
 * 0.301). Each version is the newest of its line that npm serves.
 */
export const OTEL_LINES = {
  "2.x": {
    "@opentelemetry/api": "^1.9.0",
    "@opentelemetry/sdk-node": "^0.223.0",
    "@opentelemetry/sdk-trace-node": "^2.12.0",
    "@opentelemetry/instrumentation": "^0.223.0",
    "@opentelemetry/instrumentation-http": "^0.223.0",
  },
  "3.x": {
    "@opentelemetry/api": "^1.10.0",
    "@opentelemetry/sdk-node": "^0.301.0",
    "@opentelemetry/sdk-trace": "^3.1.0",
    "@opentelemetry/instrumentation": "^0.301.0",
    "@opentelemetry/instrumentation-http": "^0.301.0",
  },
} as const;

/** What one request of a fixture app left: its spans at the backend and what the app printed. */
export interface AppRequest {
  /** Whether judgeval loaded the app's own copy of `@opentelemetry/api`. */
  sameApi: boolean;
  /** The span names the app's other vendor received (vendor fixtures only). */
  vendorReceived: string[];
  /** Every span of the request's traces, as the backend stored them. */
  spans: StoredSpan[];
  /** What the app printed to stderr (OpenTelemetry's and the vendors' complaints). */
  stderr: string;
}

/**
 * Runs `script` of spec/fixtures/otel-apps in the installed app `dir` under `mode` (its MODE and
 * VENDOR) for the request labelled `label`, exporting to `ctx`'s backend; returns the spans of the
 * request's traces, found by the observed agent and tool the fixture runs.
 */
export async function requestInApp(ctx: StartedBackend, dir: string, label: string, mode: string, script: string): Promise<AppRequest> {
  copyFileSync(join(fixtures, script), join(dir, script));
  // the setups of docs/integrations.md, which the script loads
  cpSync(join(fixtures, "setup"), join(dir, "setup"), { recursive: true });
  const env = {
    ...process.env,
    ...judgmentEnv(ctx),
    LABEL: label,
    MODE: mode,
    VENDOR: mode,
    // the app's NodeSDK exports through judgeval's processor only
    OTEL_TRACES_EXPORTER: "none",
    OTEL_METRICS_EXPORTER: "none",
    OTEL_LOGS_EXPORTER: "none",
  };
  const { stdout, stderr } = await run(process.execPath, [script], { cwd: dir, env });
  const out = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { answer: string; sameApi: boolean; vendorReceived: string[] };
  expect(out.answer).toBe(label.toUpperCase());
  const carries = (s: StoredSpan, key: string, text: string) => JSON.stringify(s.attributes[key] ?? "").includes(text);
  const isTool = (s: StoredSpan) => s.name === "lookup" && carries(s, "judgment.output", label.toUpperCase());
  const all = await ctx.backend.waitForSpans((spans) => spans.some(isTool));
  const tool = all.find(isTool)!;
  const agent = all.find((s) => s.name === "agent" && carries(s, "judgment.input", label));
  return {
    sameApi: out.sameApi,
    vendorReceived: out.vendorReceived,
    spans: all.filter((s) => s.traceId === tool.traceId || s.traceId === agent?.traceId),
    stderr,
  };
}

/** The parent chain of `span` within `spans`, by name, nearest first. */
export function ancestry(span: StoredSpan, spans: StoredSpan[]): string[] {
  const names: string[] = [];
  let parent = spans.find((p) => p.spanId === span.parentSpanId);
  while (parent) {
    names.push(parent.name);
    const id = parent.parentSpanId;
    parent = spans.find((p) => p.spanId === id);
  }
  return names;
}
