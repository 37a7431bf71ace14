import type { ScoreRecord } from "../wire/scores.js";
import type { Scorer, ScorerArgs, ScorerFunction, ScoreValue } from "./types.js";

/** A scorer with the name its column and its scores carry. */
export interface NamedScorer<I, O> {
  name: string;
  score: ScorerFunction<I, O>;
}

/** Names every scorer: its own name, else `score_<n>`; a name taken twice gets `_2`, `_3`, … */
export function nameScorers<I, O>(scorers: ReadonlyArray<Scorer<I, O>>): Array<NamedScorer<I, O>> {
  const taken = new Map<string, number>();
  return scorers.map((scorer, i) => {
    if (typeof scorer !== "function" && (typeof scorer !== "object" || scorer === null || typeof scorer.score !== "function")) {
      throw new TypeError(`runExperiment: scorers[${i}] is neither a function nor { name, score }`);
    }
    const given = typeof scorer === "function" ? scorer.name : String(scorer.name);
    const base = given || `score_${i + 1}`;
    const seen = (taken.get(base) ?? 0) + 1;
    taken.set(base, seen);
    return { name: seen === 1 ? base : `${base}_${seen}`, score: typeof scorer === "function" ? scorer : scorer.score };
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A scorer's return value as a score record, or the reason it is none. */
function toRecord(name: string, value: unknown, passThreshold: number): ScoreRecord {
  const given =
    typeof value === "object" && value !== null && "score" in value ? (value as { score: unknown; reason?: unknown }) : { score: value };
  const raw = given.score;
  const score = typeof raw === "boolean" ? (raw ? 1 : 0) : raw;
  if (typeof score !== "number" || !Number.isFinite(score)) {
    return { name, error: `returned ${typeof raw === "number" ? String(raw) : typeof raw}, not a finite number, a boolean or { score }` };
  }
  const record: ScoreRecord = { name, score, pass: typeof raw === "boolean" ? raw : score >= passThreshold };
  if (given.reason !== undefined) record.reason = typeof given.reason === "string" ? given.reason : JSON.stringify(given.reason);
  return record;
}

/** Runs every scorer on one item, one after the other; what one throws is its own error and no one else's. */
export async function runScorers<I, O>(
  scorers: ReadonlyArray<NamedScorer<I, O>>,
  args: ScorerArgs<I, O>,
  passThreshold: number,
): Promise<ScoreRecord[]> {
  const records: ScoreRecord[] = [];
  for (const { name, score } of scorers) {
    try {
      const value: ScoreValue = await score(args);
      records.push(toRecord(name, value, passThreshold));
    } catch (err) {
      records.push({ name, error: message(err) });
    }
  }
  return records;
}
