import { useBackend } from "../support/backend.js";
import { addJudgevalToApp, packJudgeval, type AppInstall } from "../support/npm-app.js";
import { ancestry, requestInApp } from "../support/otel-app-request.js";

const ctx = useBackend();

/**
 * Apps that already run a vendor which sets up OpenTelemetry itself (on the 2.x line), before
 * judgeval is added: Sentry (its own provider, sampler, propagator and context manager) and
 * Traceloop (its own `NodeSDK`, `sdk-node` 0.203).
 */
const APPS = {
  sentry: {
    "@sentry/node": "^10.78.0",
    "@sentry/opentelemetry": "^10.78.0",
    "@opentelemetry/api": "^1.9.1",
    "@opentelemetry/sdk-trace-base": "^2.9.0",
  },
  traceloop: {
    "@traceloop/node-server-sdk": "^0.27.0",
    "@opentelemetry/api": "^1.9.0",
  },
} as const;
type Vendor = keyof typeof APPS;

// Traceloop alone brings 200 MB of instrumentations and exporters: two installs and two `npm ci`
// take minutes, hence stress.
const installs = {} as Record<Vendor, AppInstall>;
beforeAll(async () => {
  const tarball = await packJudgeval();
  for (const vendor of Object.keys(APPS) as Vendor[]) installs[vendor] = await addJudgevalToApp(tarball, APPS[vendor]);
}, 900000);

describe.each(Object.keys(APPS) as Vendor[])("npm install judgeval in an app running %s", (vendor) => {
  it("is clean: no ERESOLVE, no overridden peer, a valid tree, one API copy, and npm ci passes", () => {
    const install = installs[vendor];
    expect(install.output).not.toMatch(/ERESOLVE|overriding peer dependency|npm install failed/);
    expect(install.lsValid).toBe(true);
    expect(install.apiCopies).toHaveLength(1);
    expect(install.ciPassed).toBe(true);
  });
});

/** Runs one request of the vendors fixture in `vendor`'s app. */
const request = (vendor: Vendor) => requestInApp(ctx, installs[vendor].dir, `${vendor}-app`, vendor, "vendors.cjs");
const duplicateRegistration = /duplicate registration|already registered|Replaced a pre-existing/i;

describe("beside a vendor that owns the app's OpenTelemetry (2.x line)", () => {
  it("Sentry's own setup with one SentrySpanProcessor on both providers: one trace, Sentry receives every span", async () => {
    const { spans, vendorReceived, stderr, sameApi } = await request("sentry");
    expect(sameApi).toBe(true);
    expect(stderr).not.toMatch(duplicateRegistration);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === "lookup")!;
    const fetchSpan = spans.find((s) => s.kind === "client")!;
    // Sentry's fetch span and its HTTP server span between judgeval's agent and tool
    expect(ancestry(tool, spans)).toEqual(["GET /", fetchSpan.name, "sentry-step", "agent"]);
    // Sentry's transactions: the agent's (with its step and the fetch) and the server's (with the tool);
    // the receiver's own requests, in the same process, are Sentry transactions of their own
    const sentry = vendorReceived.filter((name) => !name.includes("/envelope/"));
    const [sentryFetch, ...others] = sentry.sort((a, b) => Number(b.startsWith("GET http")) - Number(a.startsWith("GET http")));
    expect(sentryFetch).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(others.sort()).toEqual(["GET /", "agent", "lookup", "sentry-step"]);
  });

  it("Traceloop's SDK with judgeval's processor: one trace, Traceloop still receives its workflow span", async () => {
    const { spans, vendorReceived, stderr, sameApi } = await request("traceloop");
    expect(sameApi).toBe(true);
    expect(stderr).not.toMatch(duplicateRegistration);
    expect(vendorReceived).toEqual(["traceloop-step.workflow"]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === "lookup")!;
    expect(ancestry(tool, spans)).toEqual(["traceloop-step.workflow", "agent"]);
    expect(spans.filter((s) => s.name === "traceloop-step.workflow")).toHaveLength(1);
  });
});
