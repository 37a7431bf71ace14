import { createContextKey, trace, type Context, type Span } from "@opentelemetry/api";

/** Attributes that flow from a span to every span started beneath it, and across services. */
export type Propagated = Readonly<Record<string, string>>;

/** The span's own propagated attributes (inherited at start, plus what was set on it since). */
const OWN = Symbol("judgeval.propagated");
type Carrying = Span & { [OWN]?: Propagated };

/** A `scopedContext` block: its values apply to spans started directly inside it. */
interface Scope {
  owner: Span | undefined;
  values: Propagated;
}
const SCOPE = createContextKey("judgeval.propagatedScope");

/** Nothing was ever propagated in this process: span starts need not look (the common hot path). */
let unused = true;

/** What spans started in `ctx` inherit. */
export function effectivePropagated(ctx: Context): Propagated | undefined {
  const parent: Carrying | undefined = trace.getSpan(ctx);
  const scope = ctx.getValue(SCOPE) as Scope | undefined;
  if (scope !== undefined && scope.owner === parent) return scope.values;
  return parent?.[OWN];
}

/** Called at every span start: the new span takes its parent's (or scope's) propagated attributes. */
export function inheritPropagated(span: Span, parentContext: Context): void {
  if (unused) return;
  const inherited = effectivePropagated(parentContext);
  if (inherited === undefined) return;
  (span as Carrying)[OWN] = inherited;
  for (const key in inherited) span.setAttribute(key, inherited[key]);
}

/** Sets a propagated attribute on `span`: its later descendants inherit it. */
export function setPropagated(span: Span, key: string, value: string): void {
  unused = false;
  const carrying = span as Carrying;
  carrying[OWN] = { ...carrying[OWN], [key]: value };
  span.setAttribute(key, value);
}

/** A context in which spans started directly inherit `values` on top of what they would anyway. */
export function withScope(ctx: Context, values: Propagated): Context {
  unused = false;
  const owner = trace.getSpan(ctx);
  return ctx.setValue(SCOPE, { owner, values: { ...effectivePropagated(ctx), ...values } } satisfies Scope);
}
