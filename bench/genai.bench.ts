/**
 * Cost of the GenAI mapping at export (lib/pipeline/genai): what every span pays on its way
 * through the Judgment processor (`started` + `ended`). Target (issue 13): at most 1 µs per span
 * that is not a GenAI span. Run:
 *   node -r ./bench/lib/ts-source.js bench/genai.bench.ts
 */
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace";
import { GenAiSpans } from "../lib/pipeline/genai/spans.js";

const OPS = Number(process.env.BENCH_GENAI_OPS ?? 1_000_000);
const ROUNDS = 7;

/** A span as the processor sees it: attributes, ids, parent. */
function spanWith(attributes: Record<string, unknown>, id: number): ReadableSpan & Span {
  const spanId = id.toString(16).padStart(16, "0");
  const context = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId, traceFlags: 1 };
  return {
    attributes,
    spanContext: () => context,
    parentSpanContext: { ...context, spanId: "00f067aa0ba902b7" },
  } as unknown as ReadableSpan & Span;
}

/** An @observe span: kind, input, output, update id. */
const plain = () => ({ "judgment.span_kind": "span", "judgment.input": '{"q":"hi"}', "judgment.output": '"hi!"', "judgment.update_id": 0 });
/** A chat span of another library, as the AI SDK 7 makes it. */
const chat = () => ({
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-5.1",
  "gen_ai.response.model": "gpt-5.1",
  "gen_ai.usage.input_tokens": 45,
  "gen_ai.usage.output_tokens": 24,
  "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
  "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]',
});

/** Median ns per span over timed rounds (spans built before timing; only the mapping is timed). */
function measure(make: () => Record<string, unknown>, ops: number): number {
  const mapper = new GenAiSpans({ recordContent: true });
  const rounds: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const spans = Array.from({ length: ops }, (_, i) => spanWith(make(), i + 1));
    const start = process.hrtime.bigint();
    for (const span of spans) {
      mapper.started(span);
      mapper.ended(span);
    }
    const ns = Number(process.hrtime.bigint() - start) / ops;
    if (r > 0) rounds.push(ns); // round 0 warms up
  }
  rounds.sort((a, b) => a - b);
  return rounds[rounds.length >> 1];
}

const plainNs = measure(plain, OPS);
const chatNs = measure(chat, OPS / 10);
console.log(
  `GenAI mapping, per span that is not a GenAI span (@observe attributes): ${plainNs.toFixed(1)} ns (target ≤ 1000 ns) ${plainNs <= 1000 ? "PASS" : "MISS"}`,
);
console.log(`GenAI mapping, per GenAI chat span (kind, model, provider, tokens, cost, messages): ${chatNs.toFixed(1)} ns (for reference)`);
