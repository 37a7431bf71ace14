import { Example, Judgeval, Tracer, observe } from "judgeval";
import { contains, exactMatch, jsonValid, numericTolerance, runExperiment, type ScorerArgs } from "judgeval/experiment";
import { findSpan } from "judgeval/testing";
import { useBackend } from "../support/backend.js";

const ctx = useBackend();
let seq = 0;

async function client(): Promise<Judgeval> {
  return Judgeval.create({ ...ctx.tracerConfig, projectName: `experiment-${process.pid}-${++seq}` });
}

/** Counts the tasks running at once (work counted, no clock read). */
class Gauge {
  now = 0;
  max = 0;
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    this.max = Math.max(this.max, ++this.now);
    try {
      return await fn();
    } finally {
      this.now--;
    }
  }
}

class Agent {
  @observe({ spanType: "llm" })
  async complete(prompt: string): Promise<string> {
    await new Promise((r) => setImmediate(r));
    Tracer.recordLLMMetadata({
      model: "gpt-test",
      provider: "openai",
      non_cached_input_tokens: 10,
      output_tokens: 5,
      total_cost_usd: 0.001,
    });
    return `answer ${prompt.length}`;
  }

  @observe({ spanType: "agent" })
  async answer(n: number): Promise<string> {
    if (n === 13) throw new Error("item 13 fails");
    await this.complete(`question ${n}`);
    return n % 2 === 0 ? `even ${n}` : `odd ${n}`;
  }
}

describe("runExperiment", () => {
  it("runs 50 items 8 at a time, one offline trace and Example each, with local scores and a hosted judge", async () => {
    const judgeval = await client();
    const agent = new Agent();
    const gauge = new Gauge();
    const data = Array.from({ length: 50 }, (_, n) => ({ input: n, expected_output: `even ${n}`, topic: "parity" }));
    // the first scorer throws on every fifth item; the second reads the item's trace
    function strict({ output, expected, input }: ScorerArgs<number, string>) {
      if (input % 5 === 0) throw new Error(`no verdict on ${input}`);
      return { score: output === expected ? 1 : 0, reason: output === expected ? "same" : "differs" };
    }
    function calledModel({ trace }: ScorerArgs<number, string>) {
      return findSpan(trace, { kind: "llm" }) !== undefined;
    }
    const seen: number[] = [];
    const result = await runExperiment({
      client: judgeval,
      name: "parity",
      data,
      concurrency: 8,
      task: (n: number) => gauge.hold(() => agent.answer(n)),
      scorers: [strict, calledModel],
      judges: ["faithfulness"],
      progress: false,
      report: false,
      onItem: (_item, done) => seen.push(done),
    });

    expect(gauge.max).toBe(8);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(result.cancelled).toBe(false);
    expect(result.runId).toMatch(/^parity-[0-9a-f]{8}$/);
    expect(result.items.map((i) => i.status).filter((s) => s !== "ok")).toEqual(["error"]);
    const failed = result.items[13];
    expect(failed).toMatchObject({ status: "error", error: "item 13 fails", attempts: 1, scores: [] });
    expect("output" in failed).toBe(false);
    expect(result.items[4]).toMatchObject({ status: "ok", output: "even 4", tokens: { input: 10, output: 5 }, costUsd: 0.001 });
    expect(result.items[4].scores).toEqual([
      { name: "strict", score: 1, pass: true, reason: "same" },
      { name: "calledModel", score: 1, pass: true },
    ]);
    expect(result.items[10].scores[0]).toEqual({ name: "strict", error: "no verdict on 10" });
    expect(result.items[7].scores[0]).toEqual({ name: "strict", score: 0, pass: false, reason: "differs" });

    // 49 scored items: 10 multiples of 5 error, the 39 others pass when even (not 13, it failed)
    const evenScored = data.filter((d) => d.input % 5 !== 0 && d.input !== 13 && d.input % 2 === 0).length;
    expect(result.summary).toMatchObject({ total: 50, ok: 49, errors: 1, cancelled: 0, skipped: 0, tokens: { input: 490, output: 245 } });
    expect(result.summary.costUsd).toBeCloseTo(0.049, 9);
    expect(result.summary.scorers).toEqual([
      { name: "strict", scored: 39, mean: evenScored / 39, passRate: evenScored / 39, errors: 10 },
      { name: "calledModel", scored: 49, mean: 1, passRate: 1, errors: 0 },
    ]);
    expect(result.summary.durationMs.p50).toBeLessThanOrEqual(result.summary.durationMs.p95!);

    // As the backend received them: 50 offline roots of this run, scores and the judge on each ok root.
    const spans = ctx.backend.spans({ projectId: judgeval.projectId, offline: true });
    const roots = spans.filter((s) => s.parentSpanId === null);
    expect(roots).toHaveLength(50);
    expect(new Set(roots.map((r) => r.resource["judgeval.experiment.run"]))).toEqual(new Set([result.runId]));
    expect(ctx.backend.spans({ projectId: judgeval.projectId, offline: false })).toHaveLength(0);
    const rootOf = (n: number) => roots.find((r) => r.attributes["judgeval.experiment.item"] === n)!;
    expect(JSON.parse(rootOf(4).attributes["judgeval.experiment.scores"] as string)).toEqual(result.items[4].scores);
    expect(rootOf(13).status.code).toBe("error");
    expect(rootOf(13).attributes["judgeval.experiment.scores"]).toBeUndefined();
    expect(rootOf(13).attributes["judgment.pending_trace_eval"]).toBeUndefined();
    const pending = JSON.parse(rootOf(4).attributes["judgment.pending_trace_eval"] as string);
    expect(pending).toEqual([
      expect.objectContaining({
        project_id: judgeval.projectId,
        eval_name: "async_evaluate_faithfulness_0",
        judges: [{ name: "faithfulness" }],
        is_offline: true,
        examples: [
          expect.objectContaining({
            input: 4,
            actual_output: "even 4",
            expected_output: "even 4",
            trace_id: rootOf(4).traceId,
            span_id: rootOf(4).spanId,
          }),
        ],
      }),
    ]);
    // No judgeval.* key on the platform's side of the wire beyond the three documented ones.
    const ours = new Set(
      spans.flatMap((s) => [...Object.keys(s.attributes), ...Object.keys(s.resource)].filter((k) => k.startsWith("judgeval."))),
    );
    expect(ours).toEqual(
      new Set(["judgeval.experiment.run", "judgeval.experiment.item", "judgeval.experiment.expected_output", "judgeval.experiment.scores"]),
    );

    // One Example per item, as the offline tracer defines them: fields plus offline_trace_id.
    expect(result.dataset).toHaveLength(50);
    for (const item of result.items) {
      const example = item.example!;
      expect(example).toBeInstanceOf(Example);
      expect(example.properties).toEqual({ ...data[item.index], offline_trace_id: item.traceId });
      expect(rootOf(item.index).traceId).toBe(item.traceId);
    }

    // judgeval/testing reads each item's trace, the scores on its root.
    expect(result.items[4].trace!.root).toMatchObject({ name: "parity", scores: result.items[4].scores, output: "even 4" });
    expect(findSpan(result.items[4].trace!, { kind: "llm", model: "gpt-test" })).toBeDefined();
    expect(result.items[13].trace!.root.error).toBe("item 13 fails");

    // judgeval dev reads the run back, with its scores.
    const run = ctx.backend.experiments({ projectId: judgeval.projectId }).find((r) => r.id === result.runId)!;
    expect(run.examples).toHaveLength(50);
    expect(run.examples.find((e) => e.traceId === result.items[4].traceId)).toMatchObject({
      input: "4",
      expected: '"even 4"',
      output: '"even 4"',
      scores: result.items[4].scores,
    });
  });

  it("tries a failing item again, and built-in scorers need no model", async () => {
    const judgeval = await client();
    let calls = 0;
    const result = await runExperiment({
      client: judgeval,
      name: "builtins",
      data: [
        Example.create({ input: "4.02", expected_output: "4" }),
        { input: '{"a":1}', expected_output: '{"a":1}' },
        { input: "not json", expected_output: "json" },
      ],
      retries: 2,
      task: (input: unknown) => {
        if (input === "4.02" && ++calls < 3) throw new Error("flaky");
        return String(input);
      },
      scorers: [exactMatch(), contains(), jsonValid(), numericTolerance(0.05)],
      progress: false,
      report: false,
    });
    expect(result.items[0]).toMatchObject({ status: "ok", attempts: 3 });
    const table = result.items.map((i) => i.scores.map((s) => s.score ?? s.error));
    expect(table).toEqual([
      [0, 1, 1, 1],
      [1, 1, 1, expect.stringMatching(/output is not a number/)],
      [0, 1, 0, expect.stringMatching(/output is not a number/)],
    ]);
    expect(result.summary.scorers.map((s) => [s.name, s.errors])).toEqual([
      ["exact_match", 0],
      ["contains", 0],
      ["json_valid", 0],
      ["numeric_tolerance", 2],
    ]);
  });

  it("an AbortSignal stops the run: running items are given the abort, the rest never start", async () => {
    const judgeval = await client();
    const controller = new AbortController();
    const result = await runExperiment({
      client: judgeval,
      name: "aborted",
      data: Array.from({ length: 10 }, (_, n) => ({ input: n })),
      concurrency: 1,
      task: (n: number, { signal }) =>
        n < 3
          ? n
          : new Promise((_, reject) => {
              signal.addEventListener("abort", () => reject(new Error("aborted by the caller")), { once: true });
              controller.abort(new Error("stop"));
            }),
      signal: controller.signal,
      progress: false,
      report: false,
    });
    expect(result.cancelled).toBe(true);
    expect(result.items.map((i) => i.status)).toEqual(["ok", "ok", "ok", "cancelled", ...Array(6).fill("skipped")]);
    expect(result.dataset).toHaveLength(4);
    expect(result.summary).toMatchObject({ ok: 3, cancelled: 1, skipped: 6 });
  });

  it("rejects invalid options naming them, before any item runs", async () => {
    const judgeval = await client();
    const base = { client: judgeval, name: "x", data: [], task: () => 1 };
    await expect(runExperiment({ ...base, concurrency: 0 })).rejects.toThrow(/concurrency must be a whole number ≥ 1/);
    await expect(runExperiment({ ...base, name: "" })).rejects.toThrow(/name/);
    await expect(runExperiment({ ...base, data: "abc" as never })).rejects.toThrow(/data must be an array/);
    await expect(runExperiment({ ...base, scorers: [42 as never] })).rejects.toThrow(/scorers\[0\]/);
    await expect(runExperiment({ ...base, client: {} as never })).rejects.toThrow(/client must be a Judgeval client/);
  });
});
