import type { StoredSpan } from "../../lib/dev/index.js";
import { Tracer } from "../../lib/index.js";
import type { StartedBackend } from "../support/backend.js";
import { received } from "../support/tracing.js";

/** The `llm` spans a tracer delivered, plus the enclosing `agent` span the test ran them under. */
export async function llmSpans(ctx: StartedBackend, tracer: Tracer): Promise<{ llm: StoredSpan[]; agent: StoredSpan | undefined }> {
  const spans = await received(ctx, tracer);
  return { llm: spans.filter((s) => s.spanType === "llm"), agent: spans.find((s) => s.name === "agent") };
}

/** Runs `fn` inside an `agent` span, so LLM spans can be checked to be its children. */
export function inAgent<R>(fn: () => Promise<R>): Promise<R> {
  return Tracer.span("agent", fn);
}

/** Expected USD cost of token counts at per-million prices. */
export function usd(tokens: Array<[count: number, perMillion: number]>): number {
  return tokens.reduce((sum, [n, p]) => sum + n * p, 0) / 1e6;
}

/** Reads every item of an async iterable. */
export async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Deeply freezes `value`, so that any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** JSON text of `judgment.input` / `judgment.output`, parsed. */
export function parsed(span: StoredSpan, key: "judgment.input" | "judgment.output"): unknown {
  const v = span.attributes[key];
  return typeof v === "string" ? JSON.parse(v) : undefined;
}
