import { useBackend } from "../support/backend.js";
import { addJudgevalToApp, packJudgeval, type AppInstall } from "../support/npm-app.js";
import { ancestry, OTEL_LINES, requestInApp, type AppRequest } from "../support/otel-app-request.js";

const ctx = useBackend();
const INSTALL_MILLIS = 600000;

/** Apps as they exist before judgeval is added: none of OpenTelemetry, each OpenTelemetry line, the vendors. */
const APPS = {
  fresh: {},
  "2.x": OTEL_LINES["2.x"],
  // with what a bare TracerProvider needs beside it: a context manager and the W3C propagators
  "3.x": { ...OTEL_LINES["3.x"], "@opentelemetry/core": "^3.1.0", "@opentelemetry/context-async-hooks": "^3.1.0" },
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

/** Runs the HTTP-hop fixture (or `script`) in `line`'s app under `mode`; returns every span of the request's traces. */
function request(line: Line, mode: string, script = "http-hop.cjs"): Promise<AppRequest> {
  return requestInApp(ctx, installs[line].dir, `${line}-${mode}`, mode, script);
}

const MODES: [Line, string][] = [
  ["fresh", "plain"],
  ["2.x", "global"],
  ["2.x", "nodesdk"],
  ["3.x", "global"],
  ["3.x", "nodesdk"],
  ["3.x", "provider"],
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
