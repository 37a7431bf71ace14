import type { ExperimentItem, ExperimentSummary, ScorerSummary } from "./types.js";

/** The value below which `q` of the sorted values fall (nearest rank); undefined for none. */
function percentile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Figures of a run: per scorer mean, pass rate and errors; tokens, cost, duration percentiles. */
export function summarize(items: ReadonlyArray<ExperimentItem<unknown, unknown>>, scorerNames: readonly string[]): ExperimentSummary {
  const count = (status: ExperimentItem["status"]): number => items.filter((i) => i.status === status).length;
  const scorers: ScorerSummary[] = scorerNames.map((name) => {
    const records = items.flatMap((i) => i.scores.filter((s) => s.name === name));
    const scored = records.filter((s) => s.score !== undefined);
    const mean = scored.length ? scored.reduce((sum, s) => sum + (s.score ?? 0), 0) / scored.length : undefined;
    const passRate = scored.length ? scored.filter((s) => s.pass).length / scored.length : undefined;
    return { name, scored: scored.length, mean, passRate, errors: records.length - scored.length };
  });
  const ran = items.filter((i) => i.status === "ok" || i.status === "error");
  const durations = ran.map((i) => i.durationMs).sort((a, b) => a - b);
  const costs = items.map((i) => i.costUsd).filter((c): c is number => c !== undefined);
  return {
    total: items.length,
    ok: count("ok"),
    errors: count("error"),
    cancelled: count("cancelled"),
    skipped: count("skipped"),
    scorers,
    tokens: {
      input: items.reduce((sum, i) => sum + i.tokens.input, 0),
      output: items.reduce((sum, i) => sum + i.tokens.output, 0),
    },
    costUsd: costs.length ? costs.reduce((a, b) => a + b, 0) : undefined,
    durationMs: { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) },
  };
}
