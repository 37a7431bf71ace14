import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { addJudgevalToApp, packJudgeval, type AppInstall } from "../support/npm-app.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/otel-apps");
const ctx = useBackend();
const INSTALL_MILLIS = 600000;

/**
 * Apps as they exist before judgeval is added: none of OpenTelemetry, the 2.x line (API 1.9,
 * `sdk-node` 0.2xx, instrumentations 0.2xx) and the 3.x line (API 1.10, `sdk-trace` 3.x,
 * `sdk-node` 0.301). Each version is the newest of its line that npm serves.
 */
const APPS = {
  fresh: {},
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
  // the 2.x line with the vendors that live inside an app's OpenTelemetry: Langfuse, @vercel/otel
  vendors: {
    "@opentelemetry/api": "^1.9.0",
    "@opentelemetry/sdk-node": "^0.223.0",
    "@opentelemetry/sdk-trace-base": "^2.12.0",
    "@opentelemetry/core": "^2.12.0",
    "@opentelemetry/resources": "^2.12.0",
    "@opentelemetry/instrumentation": "^0.223.0",
    "@opentelemetry/api-logs": "^0.223.0",
    "@opentelemetry/sdk-logs": "^0.223.0",
    "@opentelemetry/sdk-metrics": "^2.12.0",
    "@opentelemetry/exporter-trace-otlp-http": "^0.223.0",
    "@langfuse/otel": "^5.11.1",
    "@langfuse/tracing": "^5.11.1",
    "@vercel/otel": "^2.1.3",
  },
} as const;
type Line = keyof typeof APPS;

const installs = {} as Record<Line, AppInstall>;
beforeAll(async () => {
  const tarball = await packJudgeval();
  // One at a time: three npm processes at once only contend for the two cores.
  for (const line of Object.keys(APPS) as Line[]) installs[line] = await addJudgevalToApp(tarball, APPS[line]);
}, INSTALL_MILLIS);

describe.each(Object.keys(APPS) as Line[])("npm install judgeval in an app on OpenTelemetry %s", (line) => {
  it("is clean: no ERESOLVE, no overridden peer, a valid tree, one API copy, and npm ci passes", () => {
    const install = installs[line];
    expect(install.output).not.toMatch(/ERESOLVE|overriding peer dependency|npm install failed/);
    expect(install.lsValid).toBe(true);
    expect(install.apiCopies).toHaveLength(1);
    expect(install.ciPassed).toBe(true);
  });
});

/** Runs the HTTP-hop fixture in `line`'s app under `mode`; returns every span of the request's traces. */
async function request(
  line: Line,
  mode: string,
  script = "http-hop.cjs",
): Promise<{ sameApi: boolean; vendorReceived: string[]; spans: StoredSpan[] }> {
  const dir = installs[line].dir;
  copyFileSync(join(fixtures, script), join(dir, script));
  const label = `${line}-${mode}`;
  const { apiUrl, apiKey, organizationId } = ctx.tracerConfig;
  const env = {
    ...process.env,
    URL: apiUrl,
    KEY: apiKey,
    ORG: organizationId,
    LABEL: label,
    MODE: mode,
    VENDOR: mode,
    // the app's NodeSDK exports through judgeval's processor only
    OTEL_TRACES_EXPORTER: "none",
    OTEL_METRICS_EXPORTER: "none",
    OTEL_LOGS_EXPORTER: "none",
  };
  const { stdout } = await run(process.execPath, [script], { cwd: dir, env });
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
  };
}

/** The parent chain of `span` within `spans`, by name, nearest first. */
function ancestry(span: StoredSpan, spans: StoredSpan[]): string[] {
  const names: string[] = [];
  let parent = spans.find((p) => p.spanId === span.parentSpanId);
  while (parent) {
    names.push(parent.name);
    const id = parent.parentSpanId;
    parent = spans.find((p) => p.spanId === id);
  }
  return names;
}

const MODES: [Line, string][] = [
  ["fresh", "plain"],
  ["2.x", "global"],
  ["2.x", "nodesdk"],
  ["3.x", "global"],
  ["3.x", "nodesdk"],
];

describe.each(MODES)("one request across an HTTP hop (%s app, %s)", (line, mode) => {
  it("arrives as one trace: the observed tool under the HTTP spans under the observed agent", async () => {
    const { sameApi, spans } = await request(line, mode);
    expect(sameApi).toBe(true);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === "lookup")!;
    expect(tool.spanType).toBe("tool");
    if (mode === "plain") {
      expect(ancestry(tool, spans)).toEqual(["agent"]);
    } else {
      // the app's instrumentation: the client request and the server span between agent and tool
      expect(ancestry(tool, spans)).toEqual(["GET", "GET", "agent"]);
      expect(
        spans
          .filter((s) => s.name === "GET")
          .map((s) => s.kind)
          .sort(),
      ).toEqual(["client", "server"]);
    }
  });
});

describe("beside another vendor on the app's OpenTelemetry (2.x line)", () => {
  it("Langfuse's span processor on the same NodeSDK: one trace, Langfuse still receives its observation", async () => {
    const { spans, vendorReceived } = await request("vendors", "langfuse", "vendors.cjs");
    expect(vendorReceived).toEqual(["langfuse-step"]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === "lookup")!;
    expect(ancestry(tool, spans)).toEqual(["langfuse-step", "agent"]);
    // judgeval exports the foreign span once, beside its own
    expect(spans.filter((s) => s.name === "langfuse-step")).toHaveLength(1);
  });

  it("@vercel/otel's registerOTel with judgeval's processor: one trace, the app's exporter still receives its spans", async () => {
    const { spans, vendorReceived } = await request("vendors", "vercel", "vendors.cjs");
    const fetchSpan = vendorReceived.find((name) => name.startsWith("fetch GET"));
    expect(vendorReceived.sort()).toEqual(["app-step", fetchSpan].sort());
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === "lookup")!;
    expect(ancestry(tool, spans)).toEqual([fetchSpan, "app-step", "agent"]);
  });
});
