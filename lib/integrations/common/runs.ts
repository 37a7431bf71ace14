import { context, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import type { SpanKindName } from "../../wire/keys.js";
import { recorder, startSpan, type Recorder } from "./recorder.js";

/** One framework run being traced: its span, the context its children start in, its tracer. */
export interface Run {
  readonly span: Span;
  readonly ctx: Context;
  readonly rec: Recorder;
}

/** Open runs kept at most; a framework that never reports a run's end must not grow memory forever. */
const DEFAULT_MAX_OPEN = 10_000;

/**
 * The open spans of a framework's runs, keyed by the framework's own run ids, so that a
 * callback about a run finds its span and a child run finds its parent. A run without a known
 * parent starts under the span active when it starts (the caller's `@observe` span).
 */
export class RunSpans {
  private readonly open = new Map<string, Run>();
  // Runs the framework reports but we do not show: their children attach to the nearest shown ancestor.
  private readonly hidden = new Map<string, Context>();

  constructor(private readonly maxOpen = DEFAULT_MAX_OPEN) {}

  /** The context a child of `parentId` starts in: that run's, else the current one. */
  parentContext(parentId: string | undefined): Context {
    if (parentId !== undefined) {
      const ctx = this.open.get(parentId)?.ctx ?? this.hidden.get(parentId);
      if (ctx) return ctx;
    }
    return context.active();
  }

  /** Starts the span of run `id`; undefined (and nothing kept) when no tracer records. */
  start(id: string, parentId: string | undefined, name: string, kind: SpanKindName, attributes?: Attributes): Run | undefined {
    const rec = recorder();
    if (!rec || this.open.has(id)) return undefined;
    const parent = this.parentContext(parentId);
    const span = startSpan(rec, name, kind, parent, attributes);
    const run = { span, ctx: trace.setSpan(parent, span), rec };
    this.evictIfFull();
    this.open.set(id, run);
    return run;
  }

  /** Records run `id` as not shown: its children become children of its parent. */
  hide(id: string, parentId: string | undefined): void {
    this.evictIfFull();
    this.hidden.set(id, this.parentContext(parentId));
  }

  /** Whether run `id` is open, shown or not. */
  knows(id: string): boolean {
    return this.open.has(id) || this.hidden.has(id);
  }

  get(id: string): Run | undefined {
    return this.open.get(id);
  }

  /** Ends run `id` after `finish` recorded its outcome; a run ended twice is ended once. */
  end(id: string, finish?: (run: Run) => void): void {
    if (this.hidden.delete(id)) return;
    const run = this.open.get(id);
    if (!run) return;
    this.open.delete(id);
    try {
      finish?.(run);
    } catch {
      // recording an outcome never keeps a span open or fails the framework's callback
    } finally {
      run.span.end();
    }
  }

  /** Runs still open (for tests and shutdown). */
  get size(): number {
    return this.open.size + this.hidden.size;
  }

  /** Ends the oldest open run when the table is full (insertion order is start order). */
  private evictIfFull(): void {
    if (this.open.size + this.hidden.size < this.maxOpen) return;
    const oldest = this.hidden.keys().next();
    if (!oldest.done) return void this.hidden.delete(oldest.value);
    const first = this.open.keys().next();
    if (!first.done) this.end(first.value);
  }
}
