/** One local score as written in `judgeval.experiment.scores` (docs/wire.md, "Experiment attributes"). */
export interface ScoreRecord {
  /** The scorer's name. */
  name: string;
  /** The score; absent when the scorer threw. */
  score?: number;
  /** Whether the score passed (a true boolean, or a number at or above the run's threshold). */
  pass?: boolean;
  /** Why, when the scorer said. */
  reason?: string;
  /** The scorer's error message, when it threw or returned something that is no score. */
  error?: string;
}

/**
 * The scores of a `judgeval.experiment.scores` attribute, or undefined when it holds no list. The
 * text comes from whatever sent the span: entries without a string name, and fields of the wrong
 * type, are dropped.
 */
export function parseScores(value: unknown): ScoreRecord[] | undefined {
  let list: unknown;
  try {
    list = typeof value === "string" ? JSON.parse(value) : undefined;
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const scores: ScoreRecord[] = [];
  for (const entry of list as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const { name, score, pass, reason, error } = entry as Record<string, unknown>;
    if (typeof name !== "string") continue;
    const record: ScoreRecord = { name };
    if (typeof score === "number" && Number.isFinite(score)) record.score = score;
    if (typeof pass === "boolean") record.pass = pass;
    if (typeof reason === "string") record.reason = reason;
    if (typeof error === "string") record.error = error;
    scores.push(record);
  }
  return scores;
}
