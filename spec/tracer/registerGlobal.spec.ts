import { trace } from "@opentelemetry/api";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();
afterEach(() => trace.disable());

describe("registerGlobal", () => {
  it("installs the tracer's provider: spans made through the OpenTelemetry API reach judgeval", async () => {
    const tracer = await projectTracer(ctx, { registerGlobal: true });
    trace.getTracer("a-library").startSpan("library-span").end();
    expect((await received(ctx, tracer)).map((s) => s.name)).toEqual(["library-span"]);
    await tracer.shutdown();
  });

  it("says why when another provider is already registered, and points to the span processor instead", async () => {
    trace.setGlobalTracerProvider(new TracerProvider());
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const tracer = Tracer.init({ ...ctx.tracerConfig, registerGlobal: true });
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(warnings.filter((w) => w.includes("registerGlobal"))).toEqual([expect.stringContaining("tracer.getSpanProcessor()")]);
    await tracer.shutdown();
  });
});
