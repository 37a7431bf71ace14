import type { ExperimentSummary } from "./types.js";

const pct = (v: number | undefined): string => (v === undefined ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v: number | undefined): string => (v === undefined ? "—" : v.toFixed(3));
const ms = (v: number | undefined): string => (v === undefined ? "—" : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);

/** Columns left-aligned to their widest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join("  ")
      .trimEnd(),
  );
}

/** The end-of-run report: counts, a scorer × mean / pass rate / errors table, tokens, cost, p50/p95. */
export function formatReport(runId: string, summary: ExperimentSummary, judges: readonly string[], url: string | undefined): string {
  const { total, ok, errors, cancelled, skipped } = summary;
  const counts = [`${ok} ok`, `${errors} failed`, cancelled ? `${cancelled} cancelled` : "", skipped ? `${skipped} not run` : ""];
  const lines = [`Experiment ${runId}: ${total} items, ${counts.filter(Boolean).join(", ")}`];
  if (summary.scorers.length > 0) {
    lines.push(
      "",
      ...table([
        ["scorer", "mean", "pass rate", "errors", "scored"],
        ...summary.scorers.map((s) => [s.name, num(s.mean), pct(s.passRate), String(s.errors), String(s.scored)]),
      ]),
    );
  }
  if (judges.length > 0) lines.push(`hosted judges queued on each ok item: ${judges.join(", ")} (scored by the platform)`);
  const cost = summary.costUsd === undefined ? "—" : `$${summary.costUsd.toFixed(4)}`;
  lines.push(
    "",
    `tokens ${summary.tokens.input} in / ${summary.tokens.output} out · cost ${cost} · duration p50 ${ms(summary.durationMs.p50)}, p95 ${ms(summary.durationMs.p95)}`,
  );
  if (url) lines.push(`view and compare runs: ${url}`);
  return lines.join("\n") + "\n";
}
