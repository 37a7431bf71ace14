import { log } from "../diag/log.js";
import { VERSION } from "../wire/version.js";

/**
 * Everything process-wide, in one record on `globalThis`: the CommonJS and ESM builds of the
 * package, and two installed copies of the same major version, all read and write this one, so
 * a tracer set up through one is the tracer the other uses.
 */
export interface GlobalState {
  /** The package version that created the record. */
  readonly version: string;
  /** Tracers made active, oldest first: the last one alive is the process default. */
  readonly activeStack: object[];
  /** Tracers not yet shut down (for the static flush/shutdown and the exit flush). */
  readonly tracers: Set<object>;
  /** Tracers ever made: while there was only one, spans need not record their owner. */
  tracersMade: number;
  /** The exit flush is hooked. */
  exitHooked: boolean;
  /** The context manager installed by the first copy to need one, if it was ours. */
  contextManager: { installed: boolean; ours?: unknown };
  /** Client methods already instrumented by `wrap`, whichever copy did it. */
  readonly instrumented: WeakSet<object>;
}

/** The record's layout version is in its key; a copy of another major keeps a record of its own. */
const KEY = Symbol.for("judgeval.state.v1");

function major(version: string): string {
  return version.split(".")[0];
}

function create(): GlobalState {
  return {
    version: VERSION,
    activeStack: [],
    tracers: new Set(),
    tracersMade: 0,
    exitHooked: false,
    contextManager: { installed: false },
    instrumented: new WeakSet(),
  };
}

function load(): GlobalState {
  const holder = globalThis as { [KEY]?: GlobalState };
  const found = holder[KEY];
  if (found === undefined) {
    const state = create();
    Object.defineProperty(holder, KEY, { value: state, enumerable: false, configurable: false, writable: false });
    return state;
  }
  if (typeof found !== "object" || found === null || typeof found.version !== "string" || major(found.version) !== major(VERSION)) {
    log.warn(
      `another copy of judgeval (${String((found as { version?: unknown })?.version)}) is loaded with a different major version; this copy (${VERSION}) keeps its own tracer state.`,
    );
    return create();
  }
  if (found.version !== VERSION)
    log.warnOnce("state-version", `two copies of judgeval are loaded (${found.version} and ${VERSION}); they share one tracer state.`);
  return found;
}

/** This process's state (shared by every copy of the same major version). */
export const state: GlobalState = load();
