import type { Example } from "../offline/example.js";
import { devRunLink } from "./dev-link.js";
import { exitAfterInterrupt } from "./interrupt.js";
import { readItem, runItem, type RunContext } from "./item.js";
import { createProgress } from "./progress.js";
import { formatReport } from "./report.js";
import { nameScorers } from "./scorers.js";
import { summarize } from "./summary.js";
import type { ExperimentItem, ExperimentOptions, ExperimentResult } from "./types.js";

/** A whole number ≥ `min`, or the default; anything else is the caller's mistake, named. */
function count(value: unknown, fallback: number, min: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min)
    throw new TypeError(`runExperiment: ${what} must be a whole number ≥ ${min}`);
  return value;
}

function validate<I, O>(options: ExperimentOptions<I, O>): { concurrency: number } {
  if (typeof options !== "object" || options === null) throw new TypeError("runExperiment: options must be an object");
  const { client, name, data, task } = options;
  if (typeof client?.offlineTracer !== "function")
    throw new TypeError("runExperiment: client must be a Judgeval client (await Judgeval.create(...))");
  if (typeof name !== "string" || name.trim() === "") throw new TypeError("runExperiment: name must be a non-empty string");
  if (!Array.isArray(data)) throw new TypeError("runExperiment: data must be an array of Examples or records");
  if (typeof task !== "function") throw new TypeError("runExperiment: task must be a function");
  if (options.judges !== undefined && !(Array.isArray(options.judges) && options.judges.every((j) => typeof j === "string"))) {
    throw new TypeError("runExperiment: judges must be an array of judge names");
  }
  count(options.retries, 0, 0, "retries");
  return { concurrency: count(options.concurrency, 4, 1, "concurrency") };
}

/**
 * Runs `task` over every item of `data`, at most `concurrency` at a time, each item in its own
 * offline trace (an offline tracer per item, so each appends one Example with its
 * `offline_trace_id`), scores it with the local `scorers` and queues the hosted `judges` on its
 * root span. Shows a progress bar, prints a summary table at the end, and resolves with every
 * item's output, error, duration, tokens, cost and scores. A failing item is recorded and the run
 * goes on (`retries`, `stopOnError` change that); `signal` or Ctrl-C cancel it, keeping and
 * delivering what finished. Rejects only for invalid options.
 *
 * @example
 * const client = await Judgeval.create({ projectName: "support" });
 * const result = await runExperiment({
 *   client, name: "support-v2", data: cases, concurrency: 8,
 *   task: (input) => agent.answer(input),
 *   scorers: [exactMatch(), function mentionsPolicy({ output }) { return String(output).includes("policy"); }],
 *   judges: ["faithfulness"],
 * });
 */
export async function runExperiment<I = unknown, O = unknown>(options: ExperimentOptions<I, O>): Promise<ExperimentResult<I, O>> {
  const { concurrency } = validate(options);
  const { client, name, data } = options;
  const runId = `${name}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
  const scorers = nameScorers(options.scorers ?? []);
  const judges = options.judges ?? [];
  const controller = new AbortController();
  const abort = (reason: unknown = options.signal?.reason ?? new Error("experiment cancelled")): void => controller.abort(reason);
  if (options.signal?.aborted) abort();
  const onAbort = (): void => abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const items: Array<ExperimentItem<I, O>> = data.map((item, index) => {
    const { input, expected } = readItem(item);
    return {
      index,
      input,
      expected,
      status: "skipped",
      attempts: 0,
      durationMs: 0,
      tokens: { input: 0, output: 0 },
      costUsd: undefined,
      scores: [],
    };
  });
  const dataset: Example[] = [];
  const progress = createProgress(runId, data.length, options.progress !== false);
  const report = (url: string | undefined): void => {
    progress.end();
    if (options.report === false) return;
    process.stdout.write(
      formatReport(
        runId,
        summarize(
          items,
          scorers.map((s) => s.name),
        ),
        judges,
        url,
      ),
    );
  };
  const link = devRunLink(client.apiUrl, runId);
  const uninstall =
    options.handleInterrupt === false
      ? () => undefined
      : exitAfterInterrupt(async () => {
          abort(new Error("experiment interrupted (Ctrl-C)"));
          // Items deliver their spans before they count as done: what finished is already sent.
          report(await link);
        });

  const run: RunContext<I, O> = { client, runId, options, scorers, signal: controller.signal };
  let done = 0;
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < data.length && !controller.signal.aborted) {
      const index = next++;
      // In flight: what a report made by Ctrl-C meanwhile shows for it.
      items[index].status = "cancelled";
      const item = await runItem(run, index, data[index]);
      items[index] = item;
      if (item.example) dataset.push(item.example);
      done++;
      if (item.status === "error") {
        failed++;
        if (options.stopOnError) abort();
      }
      progress.update(done, failed);
      try {
        options.onItem?.(item, done, data.length);
      } catch {
        // the caller's callback failing does not stop the run
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, data.length) }, worker));
  } finally {
    uninstall();
    options.signal?.removeEventListener("abort", onAbort);
  }
  const url = await link;
  report(url);
  return {
    runId,
    name,
    items,
    summary: summarize(
      items,
      scorers.map((s) => s.name),
    ),
    dataset,
    cancelled: items.some((i) => i.status === "skipped" || i.status === "cancelled"),
    url,
  };
}
