import { useBackend } from "../support/backend.js";
import { packJudgeval } from "../support/npm-app.js";
import { ancestry, OTEL_LINES, requestInApp } from "../support/otel-app-request.js";
import { addJudgevalWith, MANAGERS, type Manager, type ManagerInstall } from "../support/package-managers.js";

const ctx = useBackend();

/**
 * The apps of each OpenTelemetry line (as in spec/e2e/otel-lines.spec.ts). pnpm takes the newest
 * API for `^1.9.0`, 1.10, which the 2.x packages' own peer range refuses before judgeval is added:
 * the 2.x app pins `~1.9.0`, as docs/integrations.md tells such apps to.
 */
const APPS = {
  "2.x": { ...OTEL_LINES["2.x"], "@opentelemetry/api": "~1.9.0" },
  "3.x": OTEL_LINES["3.x"],
};
type Line = keyof typeof APPS;
const CASES = (Object.keys(MANAGERS) as Manager[]).flatMap((manager) =>
  (Object.keys(APPS) as Line[]).map((line) => [manager, line] as const),
);

// Six installs, each from the registry into a cached store: a minute or more, hence stress.
const installs = new Map<string, ManagerInstall>();
beforeAll(async () => {
  const tarball = await packJudgeval();
  // One at a time: installs at once only contend for the cores.
  for (const [manager, line] of CASES) installs.set(`${manager} ${line}`, await addJudgevalWith(manager, tarball, APPS[line]));
}, 900000);

describe.each(CASES)("%s adds judgeval to an app on OpenTelemetry %s", (manager, line) => {
  it("with no peer-dependency error or warning, and a frozen reinstall passes", () => {
    const install = installs.get(`${manager} ${line}`)!;
    // pnpm: "peer dependency has issues"; yarn 1: "unmet/incorrect peer dependency"; yarn 4: YN0002/YN0060/YN0086
    expect(install.output).not.toMatch(/peer|YN0002|YN0060|YN0086|failed/i);
    expect(install.frozenOutput).not.toMatch(/peer|YN0002|YN0060|YN0086/i);
    expect(install.frozenPassed).toBe(true);
  });

  it("joins the app's trace: its NodeSDK's HTTP spans and judgeval's in one trace across a hop", async () => {
    const label = `${manager.replace(" ", "")}-${line}`;
    const { sameApi, spans } = await requestInApp(ctx, installs.get(`${manager} ${line}`)!.dir, label, "nodesdk", "http-hop.cjs");
    expect(sameApi).toBe(true);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === "lookup")!;
    expect(ancestry(tool, spans)).toEqual(["GET", "GET", "agent"]);
  });
});
