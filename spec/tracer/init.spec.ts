import { context, propagation } from "@opentelemetry/api";
import { OfflineTracer, Tracer, observe } from "../../lib/index.js";
import { VERSION } from "../../lib/wire/version.js";
import { useBackend } from "../support/backend.js";
import { one, projectTracer, received } from "../support/tracing.js";

const ctx = useBackend({ projects: undefined });

function captureWarnings(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
  return { lines, restore: () => spy.mockRestore() };
}

describe("Tracer.init", () => {
  it("is synchronous, resolves the project in the background and exports spans made before resolution", async () => {
    const tracer = Tracer.init({ ...ctx.tracerConfig, projectName: "early-bird" });
    expect(tracer).toBeInstanceOf(Tracer);
    expect(tracer.projectId).toBeUndefined();
    observe(() => "made before resolution", { spanName: "early" })();
    await tracer.ready;
    expect(tracer.projectId).toBe(ctx.backend.projectId("early-bird"));
    one(await received(ctx, tracer), "early");
    // eslint-disable-next-line @typescript-eslint/await-thenable -- awaiting what init returns must be harmless
    expect(await Tracer.init({ ...ctx.tracerConfig, projectName: "awaited", setActive: false })).toBeInstanceOf(Tracer);
  });

  it("takes credentials from the environment when no option is given", async () => {
    const saved = { ...process.env };
    process.env.JUDGMENT_API_KEY = ctx.tracerConfig.apiKey;
    process.env.JUDGMENT_ORG_ID = ctx.tracerConfig.organizationId;
    process.env.JUDGMENT_API_URL = ctx.tracerConfig.apiUrl;
    try {
      const tracer = Tracer.init({ projectName: "from-env" });
      await tracer.ready;
      expect(tracer.projectId).toBe(ctx.backend.projectId("from-env"));
    } finally {
      process.env = saved;
    }
  });

  it("exports with the headers and resource attributes of docs/wire.md", async () => {
    const tracer = await projectTracer(ctx, { environment: "staging", resourceAttributes: { "team.name": "search" } });
    Tracer.span("resourceful", () => undefined);
    const span = one(await received(ctx, tracer), "resourceful");
    expect(span.resource).toMatchObject({
      "service.name": tracer.projectName,
      "telemetry.sdk.name": "judgeval",
      "telemetry.sdk.language": "nodejs",
      "telemetry.sdk.version": VERSION,
      "deployment.environment": "staging",
      "team.name": "search",
    });
    expect(span.resource["judgment.offline"]).toBeUndefined();
    const ingest = ctx.backend.requests.filter((r) => r.path === "/otel/v1/traces" && r.headers["x-project-id"] === tracer.projectId);
    expect(ingest.length).toBeGreaterThan(0);
    expect(ingest[0].headers).toMatchObject({
      authorization: `Bearer ${ctx.tracerConfig.apiKey}`,
      "x-organization-id": ctx.tracerConfig.organizationId,
      "content-type": "application/x-protobuf",
    });
  });

  it("keeps going with export off and one clear warning when a credential is missing", async () => {
    const warnings = captureWarnings();
    const saved = { ...process.env };
    delete process.env.JUDGMENT_API_KEY;
    delete process.env.JUDGMENT_ORG_ID;
    try {
      const tracer = Tracer.init({ projectName: "no-key" });
      await tracer.ready;
      expect(observe((x: number) => x + 1)(1)).toBe(2);
      expect(Tracer.span("still-works", () => "ok")).toBe("ok");
      expect(await tracer.forceFlush()).toBe(true);
      expect(tracer.getSpanExporter()).toBeUndefined();
    } finally {
      process.env = saved;
      warnings.restore();
    }
    expect(warnings.lines).toHaveLength(1);
    expect(warnings.lines[0]).toMatch(/apiKey.*organizationId/);
  });

  it("turns export off with one warning when the project does not resolve", async () => {
    const { startBackend } = await import("../support/backend.js");
    const strict = await startBackend({ projects: ["known"] });
    const warnings = captureWarnings();
    try {
      const tracer = Tracer.init({ ...strict.tracerConfig, projectName: "unknown-project" });
      await tracer.ready;
      expect(tracer.projectId).toBeUndefined();
      expect(observe(() => 5)()).toBe(5);
    } finally {
      warnings.restore();
      await strict.backend.close();
    }
    expect(warnings.lines).toHaveLength(1);
    expect(warnings.lines[0]).toContain('project "unknown-project" was not found');
  });

  it("throws a clear TypeError naming every option of the wrong kind", () => {
    expect(() => Tracer.init("x" as never)).toThrow("Tracer.init: options must be an object");
    const bad = {
      projectName: 3,
      maxExportBatchSize: 0,
      exportIntervalMillis: -5,
      serializer: "json",
      setActive: "yes",
      retry: { initialDelayMillis: 1.5 },
      apiUrl: "ftp://x",
    };
    expect(() => Tracer.init(bad as never)).toThrow(
      "Tracer.init: projectName must be a string; exportIntervalMillis must be a positive integer; maxExportBatchSize must be a positive integer; " +
        "serializer must be a function; setActive must be true or false; retry.initialDelayMillis must be a positive integer; apiUrl must be an http(s) URL",
    );
    return expect(OfflineTracer.create({ dataset: [], maxQueueSize: NaN })).rejects.toThrow(
      "OfflineTracer: maxQueueSize must be a positive integer",
    );
  });

  it("keeps a path prefix of apiUrl", async () => {
    const warnings = captureWarnings();
    const tracer = Tracer.init({ ...ctx.tracerConfig, apiUrl: `${ctx.tracerConfig.apiUrl}/judgment/`, projectName: "prefixed" });
    await tracer.ready;
    warnings.restore();
    expect(ctx.backend.requests.some((r) => r.path === "/judgment/v1/projects/resolve/")).toBe(true);
  });
});

describe("active tracer", () => {
  it("setActive refuses while a root span of the active tracer is in progress in this context", async () => {
    const first = await projectTracer(ctx);
    const second = Tracer.init({ ...ctx.tracerConfig, projectName: "second", setActive: false });
    const warnings = captureWarnings();
    try {
      Tracer.span("root", () => expect(second.setActive()).toBe(false));
    } finally {
      warnings.restore();
    }
    expect(warnings.lines[0]).toContain("setActive refused");
    expect(first.isActive()).toBe(true);
    expect(second.setActive()).toBe(true);
    expect(first.setActive()).toBe(true);
  });

  it("setActive accepts inside a span continuing a remote parent, and inside its children (a remote parent is a parent)", async () => {
    const first = await projectTracer(ctx);
    const second = Tracer.init({ ...ctx.tracerConfig, projectName: "second", setActive: false });
    const carrier = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    const answers: boolean[] = [];
    const activate = () => {
      answers.push(second.setActive());
      first.setActive();
    };
    Tracer.continueTrace(carrier, () => Tracer.span("entry", () => (activate(), Tracer.span("child", activate))));
    Tracer.continueTrace(carrier, () => observe(() => observe(activate, { spanName: "child" })(), { spanName: "entry" })());
    expect(answers).toEqual([true, true, true]);
    const warnings = captureWarnings();
    try {
      Tracer.span("local root", () => expect(second.setActive()).toBe(false));
    } finally {
      warnings.restore();
    }
    expect(first.isActive()).toBe(true);
  });

  it("tracer.run scopes the active tracer to one async context", async () => {
    const a = await projectTracer(ctx, { setActive: false });
    const b = await projectTracer(ctx, { setActive: false });
    const work = observe(
      async (label: string) => {
        await new Promise((r) => setImmediate(r));
        return Tracer.span(`inner-${label}`, () => label);
      },
      { spanName: "work" },
    );
    await Promise.all([a.run(() => work("a")), b.run(() => work("b"))]);
    expect((await received(ctx, a)).map((s) => s.name).sort()).toEqual(["inner-a", "work"]);
    expect((await received(ctx, b)).map((s) => s.name).sort()).toEqual(["inner-b", "work"]);
  });
});

describe("span processor", () => {
  it("emits a snapshot of a span still open at export time, then the final copy with the next update_id", async () => {
    const tracer = await projectTracer(ctx, { exportIntervalMillis: 60000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const long = observe(
      async () => {
        Tracer.span("short", () => undefined);
        await gate;
        return "done";
      },
      { spanName: "long" },
    );
    const running = long();
    expect(await tracer.forceFlush()).toBe(true);
    const partial = one(ctx.backend.spans({ projectId: tracer.projectId }), "long");
    expect(partial).toMatchObject({ ended: false, updateId: 0, endTimeUnixNano: "0" });
    release();
    await running;
    const spans = await received(ctx, tracer);
    expect(one(spans, "long")).toMatchObject({ ended: true, updateId: 1 });
    expect(one(spans, "short")).toMatchObject({ ended: true, updateId: 0 });
    const ingests = ctx.backend.requests.filter((r) => r.headers["x-project-id"] === tracer.projectId && r.path.startsWith("/otel"));
    expect(ingests.length).toBe(2);
  });

  it("copies trusted baggage entries (identity and declared keys) to attributes at span start", async () => {
    const tracer = await projectTracer(ctx, { propagatingKeys: ["tenant"] });
    const bag = propagation.createBaggage({ "judgment.session_id": { value: "s-1" }, tenant: { value: "acme" }, other: { value: "x" } });
    context.with(propagation.setBaggage(context.active(), bag), () => Tracer.span("bagged", () => undefined));
    const { attributes } = one(await received(ctx, tracer), "bagged");
    expect(attributes).toMatchObject({ "judgment.session_id": "s-1", tenant: "acme" });
    expect(attributes.other).toBeUndefined();
  });

  it("forceFlush reports failure when the backend refuses, and shutdown stops export", async () => {
    const tracer = await projectTracer(ctx);
    ctx.backend.injectFault({ route: "ingest", status: 400, times: 1 });
    Tracer.span("refused", () => undefined);
    expect(await tracer.forceFlush()).toBe(false);
    await tracer.shutdown();
    expect(observe(() => 1, { spanName: "after-shutdown" })()).toBe(1);
    expect(await Tracer.forceFlush()).toBe(true);
    expect(ctx.backend.spans({ projectId: tracer.projectId }).map((s) => s.name)).not.toContain("after-shutdown");
  });
});
