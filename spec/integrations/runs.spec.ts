import { Tracer } from "../../lib/index.js";
import { RunSpans } from "../../lib/integrations/common/runs.js";
import { useBackend } from "../support/backend.js";
import { projectTracer, received } from "../support/tracing.js";
import { outline } from "./support/tree.js";

const ctx = useBackend();

describe("RunSpans (framework run ids → spans)", () => {
  it("nests by parent id, attaches children of hidden runs to the nearest shown one, ends each run once", async () => {
    const tracer = await projectTracer(ctx);
    const runs = new RunSpans();
    Tracer.span("caller", () => {
      runs.start("graph", undefined, "graph", "agent");
      runs.hide("writer", "graph");
      runs.start("node", "writer", "node", "span");
    });
    runs.end("node");
    runs.end("node");
    runs.end("writer");
    runs.end("graph");
    expect(runs.size).toBe(0);
    expect(outline(await received(ctx, tracer))).toEqual(["caller (span)", "  graph (agent)", "    node (span)"]);
  });

  it("keeps at most maxOpen runs: a framework that never reports ends cannot grow memory, the oldest is ended", async () => {
    const tracer = await projectTracer(ctx);
    const runs = new RunSpans(3);
    for (const id of ["a", "b", "c", "d", "e"]) runs.start(id, undefined, id, "span");
    expect(runs.size).toBe(3);
    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => s.ended).map((s) => s.name)).toEqual(["a", "b"]);
    for (const id of ["c", "d", "e"]) runs.end(id);
  });

  it("records nothing and keeps nothing without a recording tracer", async () => {
    const tracer = await projectTracer(ctx);
    await tracer.shutdown();
    const runs = new RunSpans();
    expect(tracer.run(() => runs.start("x", undefined, "x", "span"))).toBeUndefined();
    expect(runs.size).toBe(0);
  });
});
