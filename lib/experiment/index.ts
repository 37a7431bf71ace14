/**
 * `judgeval/experiment`: run a task over a dataset, one offline trace per item, score each item
 * with local scorers and hosted judges, and compare runs by their scores.
 * @packageDocumentation
 */
// This subpath makes tracers and runs on Node: used without `judgeval`, it needs the Node entry
// to have chosen the platform (tracer/platform.ts).
import "../index.js";
export { runExperiment } from "./run.js";
export { exactMatch, contains, jsonValid, numericTolerance } from "./builtin-scorers.js";
export type {
  DatasetItem,
  ExperimentItem,
  ExperimentOptions,
  ExperimentResult,
  ExperimentSummary,
  ItemStatus,
  Scorer,
  ScorerArgs,
  ScorerFunction,
  ScorerSummary,
  ScoreResult,
  ScoreValue,
  TaskContext,
  TokenCounts,
} from "./types.js";
