import { ApiError, getJson, type StoredSpan, type TraceOutline } from "./api.js";
import { ioView } from "./chat.js";
import { fmtCost, fmtMs, fmtTime, fmtTokens, h, kindBadge, replace, statusBadge } from "./dom.js";
import { valueView } from "./json.js";
import { leaveToBrowser, MOVES } from "./keys.js";
import { offsetMs } from "./time.js";
import { SpanTree, type TreeRow } from "./tree.js";

/** Height of one tree row in pixels (rows are positioned, so only the visible ones exist). */
const ROW_HEIGHT = 26;
/** Rows rendered above and below the viewport. */
const OVERSCAN = 20;
/** Indentation stops growing past this depth (the depth is shown as a number instead). */
const MAX_INDENT_DEPTH = 30;
const INPUT = "judgment.input";
const OUTPUT = "judgment.output";

interface State {
  traceId: string;
  offline: boolean | undefined;
  outline: TraceOutline | undefined;
  tree: SpanTree | undefined;
  rows: TreeRow[];
  collapsed: Set<string>;
  openStreams: Set<string>;
  selected: string | null;
  /** Key ({@link rowKey}) of the row the keyboard is on. */
  cursor: string | null;
  origin: string;
  totalMs: number;
}

/** A row's identity across redraws: its span id, or its stream group's key. */
function rowKey(row: TreeRow): string {
  return row.kind === "span" ? row.span.spanId : row.key;
}

/**
 * The span an error trace opens on: the first span with error status in tree
 * order, then, while it has one, its first errored descendant (where the
 * failure happened rather than every ancestor it propagated through).
 */
function failingSpan(tree: SpanTree): string | null {
  let found: { id: string; depth: number } | null = null;
  for (const row of tree.rows(new Set(), new Set())) {
    if (row.kind !== "span") continue;
    if (found && row.depth <= found.depth) break;
    if (row.span.status === "error") found = { id: row.span.spanId, depth: row.depth };
  }
  return found?.id ?? null;
}

function spanHref(traceId: string, spanId: string | null): string {
  return `/traces/${traceId}${spanId ? `#span-${spanId}` : ""}`;
}

/** The time axis over the waterfall: ticks at each quarter of the trace's duration. */
function timeAxis(totalMs: number): HTMLElement {
  return h(
    "div",
    { class: "axis" },
    h("span", { class: "axis-label" }, "span"),
    h(
      "div",
      { class: "axis-track" },
      [0, 0.25, 0.5, 0.75, 1].map((f) => h("span", { class: "tick", style: `left:${f * 100}%` }, fmtMs(totalMs * f))),
    ),
  );
}

function rowElement(
  state: State,
  row: TreeRow,
  index: number,
  onToggle: (row: TreeRow) => void,
  onSelect: (id: string) => void,
): HTMLElement {
  const depth = Math.min(row.depth, MAX_INDENT_DEPTH);
  const indent = h(
    "span",
    { class: "indent", style: `width:${depth * 14}px` },
    row.depth > MAX_INDENT_DEPTH ? h("span", { class: "depth" }, String(row.depth)) : null,
  );
  const top = `top:${index * ROW_HEIGHT}px`;
  if (row.kind === "stream") {
    const open = state.openStreams.has(row.key);
    const first = row.items[0];
    const last = row.items[row.items.length - 1];
    const el = h(
      "div",
      {
        class: `row stream${state.cursor === row.key ? " cursor" : ""}`,
        style: top,
        "data-stream": row.key,
        tabindex: state.cursor === row.key ? 0 : -1,
      },
      indent,
      h("button", { class: "toggle", type: "button", "aria-expanded": String(open) }, open ? "▾" : "▸"),
      h("span", { class: "label" }, `${row.items.length} stream items`),
      kindBadge("generator_item"),
      h(
        "span",
        { class: "dur" },
        fmtMs(offsetMs(last.endTimeUnixNano === "0" ? last.startTimeUnixNano : last.endTimeUnixNano, first.startTimeUnixNano)),
      ),
      bar(state, first.startTimeUnixNano, last.endTimeUnixNano === "0" ? last.startTimeUnixNano : last.endTimeUnixNano, false),
    );
    el.addEventListener("click", () => onToggle(row));
    return el;
  }
  const s = row.span;
  const error = s.status === "error";
  const ended = s.endTimeUnixNano !== "0";
  const el = h(
    "div",
    {
      class: `row${error ? " error" : ""}${state.selected === s.spanId ? " selected" : ""}${ended ? "" : " open"}${state.cursor === s.spanId ? " cursor" : ""}`,
      style: top,
      "data-span-id": s.spanId,
      // One row in the tab order (the keyboard's); arrows move it.
      tabindex: state.cursor === s.spanId ? 0 : -1,
    },
    indent,
    row.childCount > 0
      ? h(
          "button",
          { class: "toggle", type: "button", "aria-expanded": String(!state.collapsed.has(s.spanId)), title: `${row.childCount} children` },
          state.collapsed.has(s.spanId) ? "▸" : "▾",
        )
      : h("span", { class: "toggle-space" }),
    h("span", { class: "label" }, s.name),
    kindBadge(s.spanType),
    // Every row has the same cells, so the bars line up in the last grid column.
    h("span", { class: "tok" }, s.inputTokens + s.outputTokens > 0 ? `${fmtTokens(s.inputTokens + s.outputTokens)} tok` : ""),
    h("span", { class: "dur" }, ended ? fmtMs(offsetMs(s.endTimeUnixNano, s.startTimeUnixNano)) : "running"),
    bar(state, s.startTimeUnixNano, ended ? s.endTimeUnixNano : null, error),
  );
  el.addEventListener("click", (e) => {
    if (e.target instanceof HTMLButtonElement) onToggle(row);
    else onSelect(s.spanId);
  });
  return el;
}

function bar(state: State, start: string, end: string | null, error: boolean): HTMLElement {
  const total = state.totalMs || 1;
  const left = Math.max(0, (offsetMs(start, state.origin) / total) * 100);
  const right = end === null ? 100 : Math.min(100, (offsetMs(end, state.origin) / total) * 100);
  return h(
    "span",
    { class: "bar-track" },
    h("span", {
      class: `bar${error ? " error" : ""}${end === null ? " running" : ""}`,
      style: `left:${left}%;width:${Math.max(0.3, right - left)}%`,
    }),
  );
}

/** Renders only the rows in view; re-renders on scroll. */
function virtualList(
  state: State,
  onToggle: (row: TreeRow) => void,
  onSelect: (id: string) => void,
): { el: HTMLElement; refresh(): void; reveal(key: string, focus?: boolean): void } {
  const viewport = h("div", { class: "rows" });
  const spacer = h("div", { class: "spacer" });
  viewport.append(spacer);
  let frame = 0;
  const draw = (focus = false): void => {
    frame = 0;
    // A redraw replaces the rows: the keyboard's row keeps the focus it had.
    const hadFocus = focus || viewport.contains(document.activeElement);
    spacer.style.height = `${state.rows.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(state.rows.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const els: HTMLElement[] = [];
    for (let i = first; i < last; i++) els.push(rowElement(state, state.rows[i], i, onToggle, onSelect));
    spacer.replaceChildren(...els);
    if (hadFocus) spacer.querySelector<HTMLElement>(".row.cursor")?.focus({ preventScroll: true });
  };
  viewport.addEventListener("scroll", () => {
    frame ||= requestAnimationFrame(() => draw());
  });
  return {
    el: viewport,
    refresh: () => draw(),
    reveal(key, focus = false) {
      const index = state.rows.findIndex((r) => rowKey(r) === key);
      // The rows' full height first: a scroll past the current content would be cut short.
      spacer.style.height = `${state.rows.length * ROW_HEIGHT}px`;
      if (
        index >= 0 &&
        (index * ROW_HEIGHT < viewport.scrollTop || index * ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight - ROW_HEIGHT)
      ) {
        viewport.scrollTop = Math.max(0, index * ROW_HEIGHT - viewport.clientHeight / 3);
      }
      draw(focus);
    },
  };
}

function fact(label: string, value: string | Node | null): HTMLElement | null {
  return value === null || value === "" ? null : h("div", { class: "fact" }, h("span", { class: "muted" }, label), " ", value);
}

async function showDetail(state: State, panel: HTMLElement, spanId: string): Promise<void> {
  const outline = state.tree?.byId.get(spanId);
  if (!outline) return;
  replace(panel, h("p", { class: "muted" }, "Loading span…"));
  let span: StoredSpan;
  try {
    span = await getJson<StoredSpan>(`/api/v1/traces/${state.traceId}/spans/${spanId}`, { offline: String(outline.offline) });
  } catch (err) {
    replace(panel, h("p", { class: "error-text" }, `Could not load the span: ${(err as Error).message}`));
    return;
  }
  if (state.selected !== spanId) return;
  const parent = span.parentSpanId ? state.tree?.byId.get(span.parentSpanId) : undefined;
  const a = span.attributes;
  const others = Object.keys(a).filter((k) => k !== INPUT && k !== OUTPUT);
  replace(
    panel,
    h("h2", { class: "span-name" }, span.name),
    h(
      "div",
      { class: "facts" },
      kindBadge(span.spanType),
      statusBadge(span.status.code, !span.ended),
      fact(
        "parent",
        span.parentSpanId === null
          ? "none (root)"
          : parent
            ? h("a", { href: spanHref(state.traceId, parent.spanId), class: "parent-link" }, parent.name)
            : `${span.parentSpanId} (not stored)`,
      ),
      fact("started", fmtTime(span.startTimeUnixNano)),
      fact("duration", span.ended ? fmtMs(span.durationMs) : "running"),
      fact("model", typeof a["judgment.llm.model"] === "string" ? a["judgment.llm.model"] : null),
      fact(
        "tokens",
        outline.inputTokens + outline.outputTokens > 0
          ? `${fmtTokens(outline.inputTokens)} in / ${fmtTokens(outline.outputTokens)} out`
          : null,
      ),
      fact("cost", outline.costUsd === null ? null : fmtCost(outline.costUsd)),
      fact("status", span.status.message || null),
    ),
    INPUT in a ? h("section", {}, h("h3", {}, "Input"), h("div", { id: "span-input" }, ioView(a[INPUT], "input"))) : null,
    OUTPUT in a ? h("section", {}, h("h3", {}, "Output"), h("div", { id: "span-output" }, ioView(a[OUTPUT], "output"))) : null,
    span.events.length > 0
      ? h(
          "section",
          {},
          h("h3", {}, `Events (${span.events.length})`),
          span.events
            .slice(0, 200)
            .map((e) =>
              h("div", { class: `event${e.name === "exception" ? " error-text" : ""}` }, h("strong", {}, e.name), valueView(e.attributes)),
            ),
        )
      : null,
    others.length > 0
      ? h(
          "section",
          {},
          h("h3", {}, `Attributes (${others.length})`),
          h(
            "table",
            { class: "attrs" },
            others.slice(0, 500).map((k) => h("tr", {}, h("th", {}, k), h("td", {}, valueView(a[k])))),
          ),
        )
      : null,
    h("section", {}, h("h3", {}, "Resource"), valueView(span.resource)),
  );
}

/**
 * The span tree's keys: ↓/j and ↑/k move, ← collapses (or goes to the parent),
 * → expands (or goes to the first child), Enter selects a span or opens a
 * folded stream group.
 */
function treeKey(
  state: State,
  e: KeyboardEvent,
  toggle: (row: TreeRow) => void,
  select: (id: string) => void,
  moveTo: (key: string) => void,
): void {
  if (leaveToBrowser(e) || state.rows.length === 0) return;
  const index = Math.max(
    0,
    state.rows.findIndex((r) => rowKey(r) === state.cursor),
  );
  const row = state.rows[index];
  const open = row.kind === "stream" ? state.openStreams.has(row.key) : row.childCount > 0 && !state.collapsed.has(row.span.spanId);
  const hasChildren = row.kind === "stream" || row.childCount > 0;
  const go = (i: number): void => {
    state.cursor = rowKey(state.rows[Math.min(state.rows.length - 1, Math.max(0, i))]);
  };
  const step = MOVES[e.key];
  if (step !== undefined) go(index + step);
  else if (e.key === "ArrowRight" && hasChildren) {
    if (open) go(index + 1);
    else toggle(row);
  } else if (e.key === "ArrowLeft") {
    if (open) toggle(row);
    else {
      // Rows are depth first: the parent is the nearest row above that is less deep.
      let parent = index - 1;
      while (parent >= 0 && state.rows[parent].depth >= row.depth) parent--;
      if (parent >= 0) go(parent);
    }
  } else if (e.key === "Enter") {
    if (row.kind === "span") select(row.span.spanId);
    else toggle(row);
  } else return;
  e.preventDefault();
  moveTo(state.cursor!);
}

/** The trace page: header with rollups and links, the span tree with a time axis, and the selected span. */
export async function tracePage(app: HTMLElement, traceId: string, onChange: (refresh: () => void) => void): Promise<void> {
  const offlineParam = new URLSearchParams(location.search).get("offline");
  const state: State = {
    traceId: traceId.toLowerCase(),
    offline: offlineParam === "true" ? true : offlineParam === "false" ? false : undefined,
    outline: undefined,
    tree: undefined,
    rows: [],
    collapsed: new Set(),
    openStreams: new Set(),
    selected: location.hash.startsWith("#span-") ? location.hash.slice(6) : null,
    cursor: null,
    origin: "0",
    totalMs: 0,
  };
  const header = h("div", { class: "trace-header" });
  const panel = h("aside", { id: "detail" }, h("p", { class: "muted" }, "Select a span to see its input, output and attributes."));
  const axisHolder = h("div", {});
  const toggle = (row: TreeRow): void => {
    if (row.kind === "stream") {
      if (!state.openStreams.delete(row.key)) state.openStreams.add(row.key);
    } else if (!state.collapsed.delete(row.span.spanId)) state.collapsed.add(row.span.spanId);
    state.cursor = rowKey(row);
    state.rows = state.tree!.rows(state.collapsed, state.openStreams);
    list.refresh();
  };
  const select = (id: string): void => {
    state.selected = id;
    state.cursor = id;
    history.replaceState(null, "", `${location.pathname}${location.search}#span-${id}`);
    list.refresh();
    void showDetail(state, panel, id);
  };
  const list = virtualList(state, toggle, select);
  list.el.addEventListener("keydown", (e) => treeKey(state, e, toggle, select, (key) => list.reveal(key, true)));
  const waterfall = h("div", { class: "waterfall" }, axisHolder, list.el);
  replace(app, header, h("div", { class: "trace-layout" }, waterfall, panel));

  let opened = false;
  const load = async (): Promise<void> => {
    let outline: TraceOutline;
    const offline = state.offline === undefined ? undefined : String(state.offline);
    try {
      outline = await getJson<TraceOutline>(`/api/v1/traces/${state.traceId}`, { offline });
      // A large trace's spans come in pages, each a short read for the server: fetch the rest one after another.
      const spans = outline.spans;
      for (let cursor = outline.nextCursor; cursor !== null;) {
        const page: TraceOutline = await getJson<TraceOutline>(`/api/v1/traces/${state.traceId}`, { offline, cursor });
        for (const span of page.spans) spans.push(span);
        cursor = page.nextCursor;
      }
      outline = { ...outline, spans, truncated: false, nextCursor: null };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        replace(
          header,
          h("h1", { id: "trace-title" }, "Trace ", h("code", {}, state.traceId)),
          h("p", { class: "muted" }, "This trace has no spans here (yet). The page updates when they arrive."),
        );
        return;
      }
      throw err;
    }
    state.outline = outline;
    state.tree = new SpanTree(outline.spans);
    state.rows = state.tree.rows(state.collapsed, state.openStreams);
    const s = outline.summaries[0];
    state.origin = outline.summaries.reduce(
      (o, x) => (BigInt(x.startTimeUnixNano) < BigInt(o) ? x.startTimeUnixNano : o),
      s.startTimeUnixNano,
    );
    // A loop, not Math.max(...spans): spreading 50,000 arguments overflows the stack.
    state.totalMs = Math.max(1, ...outline.summaries.map((x) => x.durationMs));
    for (const sp of outline.spans)
      if (sp.endTimeUnixNano !== "0") state.totalMs = Math.max(state.totalMs, offsetMs(sp.endTimeUnixNano, state.origin));
    const tokens = outline.summaries.reduce((n, x) => n + x.inputTokens + x.outputTokens, 0);
    const cost = outline.summaries.some((x) => x.costUsd !== null) ? outline.summaries.reduce((n, x) => n + (x.costUsd ?? 0), 0) : null;
    replace(
      header,
      h("h1", { id: "trace-title" }, s.rootName),
      h(
        "div",
        { class: "facts" },
        kindBadge(s.rootSpanType),
        statusBadge(s.status, s.inProgress, s.errorCount),
        outline.summaries.some((x) => x.offline) ? h("span", { class: "badge side-offline" }, "offline") : null,
        fact("started", fmtTime(s.startTimeUnixNano)),
        fact("duration", fmtMs(state.totalMs)),
        fact("spans", String(outline.spans.length)),
        fact("tokens", tokens ? fmtTokens(tokens) : null),
        fact("cost", cost === null ? null : fmtCost(cost)),
        fact("session", s.sessionId ? h("a", { href: `/sessions/${encodeURIComponent(s.sessionId)}` }, s.sessionId) : null),
        fact("customer", s.customerId),
        fact("trace id", h("code", {}, outline.traceId)),
        outline.tags.map((t) => h("span", { class: "tag" }, t)),
      ),
      outline.links.length > 0
        ? h(
            "div",
            { class: "links" },
            outline.links.map((l) =>
              h(
                "a",
                { class: l.direction === "to" ? "link-to" : "link-from", href: spanHref(l.traceId, l.spanId) },
                l.direction === "to" ? "→ started trace " : "← started from trace ",
                h("code", {}, l.traceId.slice(0, 12)),
                l.exists ? "" : " (not stored)",
              ),
            ),
          )
        : null,
    );
    replace(axisHolder, timeAxis(state.totalMs));
    // An error trace opens on the span that failed; a span named in the address wins.
    const focusNow = !opened;
    if (!opened) {
      opened = true;
      if (!(state.selected && state.tree.byId.has(state.selected))) {
        const failing = failingSpan(state.tree);
        if (failing) {
          state.selected = failing;
          history.replaceState(null, "", `${location.pathname}${location.search}#span-${failing}`);
        }
      }
      state.cursor = state.selected ?? (state.rows[0] ? rowKey(state.rows[0]) : null);
    }
    if (state.selected && state.tree.byId.has(state.selected)) {
      list.reveal(state.selected, focusNow);
      void showDetail(state, panel, state.selected);
    } else if (focusNow && state.cursor) {
      list.reveal(state.cursor, true);
    } else {
      list.refresh();
    }
  };
  await load();
  onChange(() => void load());
  // A link to another span of this trace (parent, #span-…) only changes the hash.
  window.addEventListener("hashchange", () => {
    const id = location.hash.startsWith("#span-") ? location.hash.slice(6) : null;
    if (!id || id === state.selected || !state.tree?.byId.has(id)) return;
    state.selected = id;
    state.cursor = id;
    list.reveal(id);
    void showDetail(state, panel, id);
  });
}
