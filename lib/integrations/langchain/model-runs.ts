import type { Context } from "@opentelemetry/api";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { registerModelCallLookup } from "../../context/model-calls.js";
import { field } from "../../llm/read.js";

/** Chat model and LLM runs in progress, by run id: the run they started in and their span's context. */
const open = new Map<string, { parent: string; ctx: Context }>();
/** Open runs kept at most; runs LangChain never ends must not grow memory forever. */
const MAX_OPEN = 10_000;

/** Records model run `runId`, started under run `parentRunId`, as in progress. */
export function modelRunStarted(runId: string, parentRunId: string | undefined, ctx: Context): void {
  if (!parentRunId) return;
  if (open.size >= MAX_OPEN) open.clear();
  open.set(runId, { parent: parentRunId, ctx });
}

export function modelRunEnded(runId: string): void {
  open.delete(runId);
}

/**
 * The context of the model run a provider call is made in. LangChain runs a model's request in
 * the runnable context the model was invoked from (a graph node, a chain step), so that
 * runnable's run is the model run's parent: the one model run in progress under it is the one.
 * Several (a batch) cannot be told apart: none is picked.
 */
function currentModelRun(): Context | undefined {
  if (open.size === 0) return undefined;
  const config: unknown = AsyncLocalStorageProviderSingleton.getRunnableConfig();
  const callbacks = field(config, "callbacks");
  const parentOf = field(callbacks, "getParentRunId");
  const parent: unknown = typeof parentOf === "function" ? parentOf.call(callbacks) : undefined;
  if (typeof parent !== "string") return undefined;
  let found: Context | undefined;
  for (const run of open.values()) {
    if (run.parent !== parent) continue;
    if (found) return undefined;
    found = run.ctx;
  }
  return found;
}

registerModelCallLookup(currentModelRun);
