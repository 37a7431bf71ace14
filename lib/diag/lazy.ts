import { log } from "./log.js";

/**
 * A module of ours loaded on first use rather than by `require("judgeval")`, so start-up pays only
 * for what the first span needs. `load` is a `require` of a relative path written as a string
 * literal, so bundlers still see and bundle it; the ESM build turns each such `require` into a
 * static import (scripts/esm-static-imports.js). Never throws: a failure to load is logged once,
 * and the caller, given undefined, carries on without the feature.
 */
export function lazy<T>(what: string, load: () => T): () => T | undefined {
  let loaded: { module: T } | undefined;
  let failed = false;
  return () => {
    if (loaded) return loaded.module;
    if (failed) return undefined;
    try {
      loaded = { module: load() };
      return loaded.module;
    } catch (err) {
      failed = true;
      log.warn(`${what} could not be loaded (${err instanceof Error ? err.message : String(err)}); carrying on without it.`);
      return undefined;
    }
  };
}
