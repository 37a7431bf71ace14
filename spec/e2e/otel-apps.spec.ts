import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { installApp, nodeBinary, packJudgeval } from "../support/npm-app.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/otel-apps");
const ctx = useBackend();
const INSTALL_MILLIS = 300000;

// Both apps install at once: npm spends most of its time waiting on the registry cache.
let apps: { api110: string; sdk3: string; node22: string };
beforeAll(async () => {
  const tarball = await packJudgeval();
  const [api110, sdk3, node22] = await Promise.all([
    installApp(tarball, { "@opentelemetry/api": "1.10.0" }),
    installApp(tarball, {
      "@opentelemetry/api": "1.10.0",
      "@opentelemetry/sdk-trace": "3.1.1",
      "@opentelemetry/context-async-hooks": "3.1.1",
    }),
    nodeBinary(22),
  ]);
  apps = { api110, sdk3, node22 };
}, INSTALL_MILLIS);

/** Runs fixture `script` in `dir` with `node`, pointed at the test backend; returns its JSON output. */
async function runApp(node: string, dir: string, script: string, label: string): Promise<Record<string, unknown>> {
  copyFileSync(join(fixtures, script), join(dir, script));
  const { apiUrl, apiKey, organizationId } = ctx.tracerConfig;
  const env = { ...process.env, URL: apiUrl, KEY: apiKey, ORG: organizationId, LABEL: label };
  const { stdout } = await run(node, [script], { cwd: dir, env });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
}

/** The framework span asked `label` arrives in the trace of the `@observe` span that called it, as its child. */
async function expectFrameworkSpanUnderAgent(label: string): Promise<void> {
  const isIt = (s: StoredSpan) => s.name === "framework.call" && s.attributes["framework.question"] === label;
  const spans = await ctx.backend.waitForSpans((all) => all.some(isIt));
  const framework = spans.find(isIt);
  const agent = spans.find((s) => s.name === "agent" && s.traceId === framework?.traceId);
  expect(framework?.scope.name).toBe("some-framework");
  expect(framework?.parentSpanId).toBe(agent?.spanId);
}

describe("an app with its own OpenTelemetry", () => {
  it("@opentelemetry/api 1.10 at top level: one API copy, and registerGlobal routes a framework's spans to judgeval", async () => {
    const out = await runApp(process.execPath, apps.api110, "global-api.cjs", "api-1.10");
    expect(out).toEqual({ answer: "api-1.10!", sameApi: true });
    await expectFrameworkSpanUnderAgent("api-1.10");
  });

  it("OpenTelemetry JS SDK 3.x set up by the app (Node 22): judgeval's span processor on the app's provider exports its spans", async () => {
    const out = await runApp(apps.node22, apps.sdk3, "own-sdk.cjs", "sdk-3");
    expect(out["answer"]).toBe("sdk-3!");
    expect(String(out["node"]).split(".")[0]).toBe("22");
    await expectFrameworkSpanUnderAgent("sdk-3");
  });
});
