import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { StoredSpan } from "../../lib/dev/index.js";
import { useBackend } from "../support/backend.js";
import { installApp, nodeBinary, packJudgeval } from "../support/npm-app.js";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/otel-apps");
const ctx = useBackend();
const INSTALL_MILLIS = 300000;

// Both apps install at once: npm spends most of its time waiting on the registry cache.
let apps: { api110: string; sdk3: string; node22: string };
beforeAll(async () => {
  const tarball = await packJudgeval();
  const [api110, sdk3, node22] = await Promise.all([
    // The AI SDK's versions are the repo's own (package.json), so npm finds them in its cache.
    installApp(tarball, { "@opentelemetry/api": "1.10.0", ai: "7.0.173", "@ai-sdk/otel": "1.0.173", "@ai-sdk/openai": "4.0.118" }),
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
async function runApp(node: string, dir: string, script: string, label: string, providerUrl = ""): Promise<Record<string, unknown>> {
  copyFileSync(join(fixtures, script), join(dir, script));
  const { apiUrl, apiKey, organizationId } = ctx.tracerConfig;
  const env = { ...process.env, URL: apiUrl, KEY: apiKey, ORG: organizationId, LABEL: label, PROVIDER_URL: providerUrl };
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

  it("@opentelemetry/api 1.10 at top level: the AI SDK 7's spans reach judgeval as an agent run with an llm call", async () => {
    const provider = await startResponsesReplay();
    try {
      const out = await runApp(process.execPath, apps.api110, "ai-sdk-app.mjs", "ai-sdk", provider.url);
      // The recorded reply to a first request is the weather tool call: no text, one step.
      expect(out).toEqual({ answer: "" });
    } finally {
      await provider.close();
    }
    const spans = await ctx.backend.waitForSpans((all) =>
      all.some((s) => s.resource["service.name"] === "otel-app-ai" && s.spanType === "llm"),
    );
    const mine = spans.filter((s) => s.resource["service.name"] === "otel-app-ai");
    const agent = mine.find((s) => s.name === "agent");
    const llm = mine.find((s) => s.spanType === "llm");
    expect(llm?.traceId).toBe(agent?.traceId);
    expect(llm?.attributes).toMatchObject({ "judgment.llm.model": "gpt-5.1", "judgment.usage.output_tokens": 24 });
  });

  it("OpenTelemetry JS SDK 3.x set up by the app (Node 22): judgeval's span processor on the app's provider exports its spans", async () => {
    const out = await runApp(apps.node22, apps.sdk3, "own-sdk.cjs", "sdk-3");
    expect(out["answer"]).toBe("sdk-3!");
    expect(String(out["node"]).split(".")[0]).toBe("22");
    await expectFrameworkSpanUnderAgent("sdk-3");
  });
});
