import fc from "fast-check";
import { JudgevalCallbackHandler } from "../../lib/integrations/langchain/index.js";
import { JudgevalTracingProcessor } from "../../lib/integrations/openai-agents/index.js";
import type { ObservabilityExporter } from "@mastra/core/observability";
import { JudgevalExporter } from "../../lib/integrations/mastra/index.js";
import { Tracer } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { build, spec } from "../support/hostile.js";
import { projectTracer, received } from "../support/tracing.js";

const ctx = useBackend();

/** Calls `fn` as the framework would, on a value of any shape: it must neither throw nor reject. */
async function absorbs(fn: () => unknown): Promise<void> {
  await expect(Promise.resolve().then(fn)).resolves.not.toThrow();
}

describe("framework payloads of any shape are absorbed", () => {
  it("the LangChain handler never throws into LangChain, and every run it started is ended", async () => {
    const tracer = await projectTracer(ctx);
    let started = 0;
    await fc.assert(
      fc.asyncProperty(spec, spec, async (a, b) => {
        const handler = new JudgevalCallbackHandler();
        const id = `run-${++started}`;
        const x = build(a) as never;
        const y = build(b) as never;
        await Tracer.span("caller", async () => {
          await absorbs(() => handler.handleChainStart(x, y, `${id}-chain`, undefined, undefined, x, undefined, undefined));
          await absorbs(() => handler.handleChatModelStart(x, y, `${id}-llm`, `${id}-chain`, x, undefined, y));
          await absorbs(() => handler.handleLLMEnd(x, `${id}-llm`));
          await absorbs(() => handler.handleToolStart(x, y, `${id}-tool`, `${id}-chain`));
          await absorbs(() => handler.handleToolError(x, `${id}-tool`));
          await absorbs(() => handler.handleAgentAction(x, `${id}-chain`));
          await absorbs(() => handler.handleChainEnd(y, `${id}-chain`));
        });
      }),
      { numRuns: 40 },
    );
    const spans = await received(ctx, tracer);
    expect(spans.length).toBeGreaterThanOrEqual(40 * 4);
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it("the Agents processor never rejects, whatever the span data", async () => {
    const tracer = await projectTracer(ctx);
    const processor = new JudgevalTracingProcessor();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        spec,
        fc.constantFrom("agent", "response", "generation", "function", "handoff", "guardrail", "custom", "turn", 7),
        async (data, type) => {
          const built = build(data);
          const spanData =
            built !== null && typeof built === "object" ? Object.assign(Object.create(built) as object, { type }) : { type, model: built };
          const span = {
            spanId: `s${++n}`,
            traceId: "t",
            parentId: null,
            spanData,
            error: n % 3 === 0 ? { message: built } : null,
          } as never;
          await Tracer.span("caller", async () => {
            await absorbs(() => processor.onSpanStart(span));
            await absorbs(() => processor.onSpanEnd(span));
          });
        },
      ),
      { numRuns: 40 },
    );
    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => s.name !== "caller")).toHaveLength(40);
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it("the Mastra exporter never throws into Mastra, whatever the exported span", async () => {
    const tracer = await projectTracer(ctx);
    // Mastra's own exporter type accepts it (checked at compile time).
    const exporter = new JudgevalExporter() satisfies ObservabilityExporter;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        spec,
        fc.constantFrom("agent_run", "workflow_run", "model_generation", "model_step", "model_inference", "tool_call", "generic", 7),
        async (data, type) => {
          const built = build(data);
          const own = { id: `s${++n}`, traceId: "t", name: `span ${n}`, type, isRootSpan: true };
          // The hostile value is the prototype: every field Mastra would set reads from it.
          const exportedSpan = (
            built !== null && typeof built === "object"
              ? Object.create(built, Object.fromEntries(Object.entries(own).map(([k, value]) => [k, { value, enumerable: true }])))
              : { ...own, attributes: built }
          ) as never;
          await Tracer.span("caller", async () => {
            await absorbs(() => exporter.onTracingEvent({ type: "span_started", exportedSpan }));
            await absorbs(() => exporter.exportTracingEvent({ type: "span_updated", exportedSpan }));
            await absorbs(() => exporter.onTracingEvent({ type: "span_ended", exportedSpan }));
            await absorbs(() => exporter.onTracingEvent(built as never));
          });
        },
      ),
      { numRuns: 40 },
    );
    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => s.name !== "caller")).toHaveLength(40);
    expect(spans.every((s) => s.ended)).toBe(true);
  });
});
