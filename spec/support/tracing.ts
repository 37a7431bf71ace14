import type { StoredSpan } from "../../lib/dev/index.js";
import { Tracer, type TracerConfig } from "../../lib/index.js";
import type { StartedBackend } from "./backend.js";
import { captureWarnings } from "./warnings.js";

let seq = 0;

/** A tracer on its own fresh project of the backend, resolved and active. */
export async function projectTracer(ctx: StartedBackend, config: TracerConfig = {}): Promise<Tracer> {
  const tracer = Tracer.init({ ...ctx.tracerConfig, projectName: `p${process.pid}-${++seq}`, ...config });
  await tracer.ready;
  return tracer;
}

/** A tracer without credentials (export off), ready; checks it said so, once, at init. */
export async function exportOffTracer(config: TracerConfig): Promise<Tracer> {
  let tracer!: Tracer;
  const warnings = await captureWarnings(() => {
    tracer = Tracer.init({ ...config, apiKey: "", organizationId: "" });
    return tracer.ready;
  });
  expect(warnings).toEqual([expect.stringContaining("[judgeval] export is off: missing apiKey")]);
  return tracer;
}

/** Orders spans oldest start first (`Array.prototype.sort`'s comparator). */
const byStart = (a: StoredSpan, b: StoredSpan): number => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1);

/** Flushes `tracer` and returns what the backend stored for its project, oldest start first. */
export async function received(ctx: StartedBackend, tracer: Tracer): Promise<StoredSpan[]> {
  expect(await tracer.forceFlush(10000)).toBe(true);
  return ctx.backend.spans({ projectId: tracer.projectId }).sort(byStart);
}

/** What the backend stored from the service named `project` (a child process's tracer), oldest start first. */
export function projectSpans(ctx: StartedBackend, project: string): StoredSpan[] {
  return ctx.backend
    .spans()
    .filter((s) => s.resource["service.name"] === project)
    .sort(byStart);
}

/** The one span named `name` (fails the test when there is not exactly one). */
export function one(spans: StoredSpan[], name: string): StoredSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0];
}

/** `judgment.input` / `judgment.output` parsed back from JSON. */
export function io(span: StoredSpan): { input: unknown; output: unknown } {
  const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : undefined);
  return { input: parse(span.attributes["judgment.input"]), output: parse(span.attributes["judgment.output"]) };
}
