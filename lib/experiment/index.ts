/**
 * `judgeval/experiment`: run a task over a dataset, one offline trace per item, score each item
 * with local scorers and hosted judges, and compare runs by their scores.
 * @packageDocumentation
 */
// This subpath makes tracers: loading the package's entry by name lets the same export conditions
// as `judgeval`'s choose the platform (Node's, or the edge runtimes') when it is used alone.
import "judgeval";
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
