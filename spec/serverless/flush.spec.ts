import { Tracer, observe } from "../../lib/index.js";
import { withFlush, wrapFetchHandler, wrapLambda, type ExecutionContextLike } from "../../lib/serverless/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer } from "../support/tracing.js";

const ctx = useBackend();

// A batch interval far longer than any test: without a flush, nothing would reach the backend.
const slowBatches = { exportIntervalMillis: 600000 };

const tool = observe(async (city: string) => `sunny in ${city}`, { spanType: "tool", spanName: "weather" });
const handle = (city: string) => Tracer.span("request", () => tool(city));

function stored(tracer: Tracer): string[] {
  return ctx.backend
    .spans({ projectId: tracer.projectId })
    .filter((s) => s.ended)
    .map((s) => s.name)
    .sort();
}

describe("judgeval/serverless", () => {
  it("a plain handler returns before its spans are sent; wrapped, they are delivered when it returns", async () => {
    const tracer = await projectTracer(ctx, slowBatches);
    await handle("Oslo");
    expect(stored(tracer)).toEqual([]);

    const wrapped = withFlush(handle);
    expect(await wrapped("Paris")).toBe("sunny in Paris");
    expect(stored(tracer)).toEqual(["request", "request", "weather", "weather"]);
  });

  it("hands the flush to waitUntil and returns at once; the promise settles once the spans are delivered", async () => {
    const tracer = await projectTracer(ctx, slowBatches);
    const handed: Promise<unknown>[] = [];
    const wrapped = withFlush(handle, { waitUntil: (p) => handed.push(p) });
    expect(await wrapped("Rome")).toBe("sunny in Rome");
    expect(handed).toHaveLength(1);
    expect(await handed[0]).toBe(true);
    expect(stored(tracer)).toEqual(["request", "weather"]);
  });

  it("re-throws the handler's error unchanged, after delivering its error span", async () => {
    const tracer = await projectTracer(ctx, slowBatches);
    const failure = new TypeError("bad input");
    const wrapped = withFlush(() => Tracer.span("failing", () => Promise.reject(failure)));
    await expect(wrapped()).rejects.toBe(failure);
    const [span] = ctx.backend.spans({ projectId: tracer.projectId });
    expect(span).toMatchObject({ name: "failing", status: { code: "error", message: "bad input" } });
  });

  it("keeps `this` and the arguments of the wrapped function", async () => {
    await projectTracer(ctx, slowBatches);
    const service = {
      prefix: "hi",
      greet: withFlush(async function (this: { prefix: string }, name: string) {
        return `${this.prefix} ${name}`;
      }),
    };
    expect(await service.greet("Ada")).toBe("hi Ada");
  });

  it("wrapLambda delivers each invocation's spans before the handler's promise settles", async () => {
    const tracer = await projectTracer(ctx, slowBatches);
    const handler = wrapLambda(async (event: { city: string }, context: { awsRequestId: string }) => ({
      statusCode: 200,
      body: `${context.awsRequestId}: ${await handle(event.city)}`,
    }));
    expect(await handler({ city: "Lima" }, { awsRequestId: "req-1" })).toEqual({ statusCode: 200, body: "req-1: sunny in Lima" });
    expect(stored(tracer)).toEqual(["request", "weather"]);
  });

  it("wrapFetchHandler answers at once and hands the delivery to ctx.waitUntil (Workers style)", async () => {
    const tracer = await projectTracer(ctx, slowBatches);
    const waiting: Promise<unknown>[] = [];
    const executionContext: ExecutionContextLike = { waitUntil: (p) => void waiting.push(p) };
    const worker = {
      fetch: wrapFetchHandler(
        async (request: Request, _env: unknown, _ctx: ExecutionContextLike) =>
          new Response(await handle(new URL(request.url).searchParams.get("city") ?? "")),
      ),
    };
    const response = await worker.fetch(new Request("http://localhost/?city=Kyiv"), {}, executionContext);
    expect(await response.text()).toBe("sunny in Kyiv");
    expect(waiting).toHaveLength(1);
    await Promise.all(waiting);
    expect(stored(tracer)).toEqual(["request", "weather"]);
  });

  it("waits itself when the hook refuses the promise", async () => {
    const tracer = await projectTracer(ctx, slowBatches);
    const wrapped = withFlush(handle, {
      waitUntil: () => {
        throw new Error("waitUntil called outside a request");
      },
    });
    expect(await wrapped("Quito")).toBe("sunny in Quito");
    expect(stored(tracer)).toEqual(["request", "weather"]);
  });
});
