import { INVALID_SPAN_CONTEXT, trace, type Context, type Span } from "@opentelemetry/api";

/** Links a lookup walks at most before the chain is folded into one map. */
const MAX_DEPTH = 16;

/**
 * A context made of links: each `setValue` adds one link (key, value) over the context it came
 * from, instead of copying every entry into a new map as the API's default context does. Reads
 * walk the links; a link that replaces the one right below it skips it, and a chain longer than
 * {@link MAX_DEPTH} is folded into a map. Every span `@observe` and `Tracer.span` make is
 * activated in one.
 */
class LinkedContext implements Context {
  /** Links from here down to the first context that is not one. */
  readonly depth: number;

  constructor(
    readonly below: Context,
    readonly key: symbol,
    readonly value: unknown,
  ) {
    this.depth = below instanceof LinkedContext ? below.depth + 1 : 1;
  }

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts here
    let at: Context = this;
    while (at instanceof LinkedContext) {
      if (at.key === key) return at.value;
      at = at.below;
    }
    return at.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return link(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return link(this, key, undefined);
  }

  /** The entries of the links down to the first other context, nearest first. */
  fold(): Context {
    const entries = new Map<symbol, unknown>();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts here
    let at: Context = this;
    while (at instanceof LinkedContext) {
      if (!entries.has(at.key)) entries.set(at.key, at.value);
      at = at.below;
    }
    return new FoldedContext(entries, at);
  }
}

/** A folded chain: its entries in a map, over the context the chain started from. */
class FoldedContext implements Context {
  constructor(
    private readonly entries: ReadonlyMap<symbol, unknown>,
    private readonly below: Context,
  ) {}

  getValue(key: symbol): unknown {
    return this.entries.has(key) ? this.entries.get(key) : this.below.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return link(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return link(this, key, undefined);
  }
}

function link(below: Context, key: symbol, value: unknown): Context {
  if (below instanceof LinkedContext) {
    if (below.key === key) return new LinkedContext(below.below, key, value);
    if (below.depth >= MAX_DEPTH) return new LinkedContext(below.fold(), key, value);
  }
  return new LinkedContext(below, key, value);
}

/**
 * The API's context key of the active span, seen through the public `Context` interface: the key
 * `trace.setSpan` passes to `setValue`.
 */
const SPAN_KEY: symbol | undefined = (() => {
  let key: symbol | undefined;
  const probe: Context = {
    getValue: () => undefined,
    setValue: (k) => ((key = k), probe),
    deleteValue: () => probe,
  };
  trace.setSpan(probe, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return key;
})();

/**
 * `parent` with `span` active, as `trace.setSpan` makes it, built as a link: one small object
 * rather than a copy of every entry; later `setValue`s on it link too.
 */
export function withActiveSpan(parent: Context, span: Span): Context {
  return SPAN_KEY === undefined ? trace.setSpan(parent, span) : link(parent, SPAN_KEY, span);
}
