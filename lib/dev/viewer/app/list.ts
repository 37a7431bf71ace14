import { getJson, type TracePage, type TraceSummary } from "./api.js";
import { fmtCost, fmtMs, fmtTime, fmtTokens, h, headerRow, kindBadge, replace, short, statusBadge } from "./dom.js";
import { listKeys } from "./keys.js";

/** Query parameters of the list that live in the page URL (so a filtered view can be shared or reloaded). */
const FILTERS = ["q", "project", "name", "kind", "status", "session", "customer", "tag", "from", "to", "offline"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const KINDS = ["agent", "llm", "tool", "function", "span", "generator"];

function readFilters(): Filters {
  const params = new URLSearchParams(location.search);
  const f: Filters = {};
  for (const key of FILTERS) {
    const v = params.get(key);
    if (v) f[key] = v;
  }
  return f;
}

function toApiParams(f: Filters): Record<string, string | undefined> {
  const local = (v: string | undefined): string | undefined => (v ? String(new Date(v).getTime()) : undefined);
  return { ...f, from: local(f.from), to: local(f.to) };
}

function traceHref(t: TraceSummary): string {
  return `/traces/${t.traceId}?offline=${t.offline}`;
}

function row(t: TraceSummary, projectNames: Map<string, string>): HTMLElement {
  const tr = h(
    "tr",
    { "data-trace-id": t.traceId, class: "trace-row", tabindex: 0 },
    h("td", { class: "time" }, fmtTime(t.startTimeUnixNano)),
    h(
      "td",
      {},
      h("a", { class: "root-name", href: traceHref(t) }, t.rootName),
      " ",
      kindBadge(t.rootSpanType),
      t.offline ? h("span", { class: "badge side-offline" }, "offline") : null,
      t.inputPreview ? h("div", { class: "preview", title: t.inputPreview }, "in: ", short(t.inputPreview)) : null,
      t.outputPreview ? h("div", { class: "preview", title: t.outputPreview }, "out: ", short(t.outputPreview)) : null,
    ),
    h("td", { class: "project" }, projectNames.get(t.projectId) ?? t.projectId),
    h("td", {}, statusBadge(t.status, t.inProgress, t.errorCount)),
    h("td", { class: "num" }, String(t.spanCount)),
    h("td", { class: "num" }, fmtMs(t.durationMs)),
    h("td", { class: "num tokens" }, fmtTokens(t.inputTokens + t.outputTokens)),
    h("td", { class: "num cost", title: t.costUsd === null ? "" : String(t.costUsd) }, fmtCost(t.costUsd)),
    h(
      "td",
      { class: "meta" },
      t.sessionId ? h("a", { href: `/sessions/${encodeURIComponent(t.sessionId)}` }, t.sessionId) : null,
      t.customerId ? h("div", { class: "muted" }, t.customerId) : null,
    ),
    h(
      "td",
      { class: "tags" },
      t.tags.map((tag) => h("span", { class: "tag" }, tag)),
    ),
  );
  tr.addEventListener("click", (e) => {
    if (!(e.target instanceof HTMLAnchorElement)) location.href = traceHref(t);
  });
  return tr;
}

function filterBar(f: Filters, projects: { name: string; id: string }[]): HTMLElement {
  const input = (name: keyof Filters, placeholder: string, type = "text"): HTMLElement =>
    h("input", { name, placeholder, type, value: f[name] ?? "", "aria-label": placeholder });
  const select = (name: keyof Filters, label: string, options: [string, string][]): HTMLElement => {
    const el = h(
      "select",
      { name, "aria-label": label },
      h("option", { value: "" }, label),
      options.map(([v, text]) => h("option", { value: v }, text)),
    ) as HTMLSelectElement;
    el.value = f[name] ?? "";
    return el;
  };
  const form = h(
    "form",
    { class: "filters", id: "filters" },
    input("q", "Search inputs, outputs, names…", "search"),
    select(
      "project",
      "all projects",
      projects.map((p) => [p.name, p.name]),
    ),
    input("name", "root name"),
    select(
      "kind",
      "any kind",
      KINDS.map((k) => [k, k]),
    ),
    select("status", "any status", [
      ["ok", "ok"],
      ["error", "error"],
      ["in_progress", "in progress"],
    ]),
    input("session", "session id"),
    input("customer", "customer id"),
    input("tag", "tag"),
    h("label", {}, "from ", input("from", "from", "datetime-local")),
    h("label", {}, "to ", input("to", "to", "datetime-local")),
    select("offline", "online and offline", [
      ["false", "online only"],
      ["true", "offline only"],
    ]),
    h("button", { type: "submit" }, "Apply"),
    h("a", { href: "/", class: "clear" }, "clear"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form as HTMLFormElement)) if (typeof v === "string" && v !== "") params.set(k, v);
    const qs = params.toString();
    location.href = `/${qs ? `?${qs}` : ""}`;
  });
  form.addEventListener("change", (e) => {
    if (e.target instanceof HTMLSelectElement) form.dispatchEvent(new Event("submit", { cancelable: true }));
  });
  return form;
}

/** The trace list: filters and search in the URL, pages by cursor, totals of what is shown. */
export async function listPage(app: HTMLElement, onChange: (refresh: () => void) => void): Promise<void> {
  const filters = readFilters();
  const { projects } = await getJson<{ projects: { name: string; id: string }[] }>("/api/v1/projects");
  const projectNames = new Map(projects.map((p) => [p.id, p.name]));
  const tbody = h("tbody", { id: "trace-rows" });
  const totals = h("div", { class: "totals", id: "totals" });
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  const shown: TraceSummary[] = [];
  let cursor: string | null = null;
  let pagedFurther = false;

  const renderTotals = (): void => {
    const tokens = shown.reduce((n, t) => n + t.inputTokens + t.outputTokens, 0);
    const cost = shown.reduce((n, t) => n + (t.costUsd ?? 0), 0);
    const errors = shown.filter((t) => t.errorCount > 0).length;
    replace(
      totals,
      `${shown.length} traces shown`,
      errors ? ` · ${errors} with errors` : "",
      tokens ? ` · ${fmtTokens(tokens)} tokens` : "",
      cost ? ` · ${fmtCost(cost)}` : "",
    );
  };
  // A newer load (a refresh on new data) stops an older one from following short pages.
  let generation = 0;
  const load = async (reset: boolean): Promise<void> => {
    const mine = ++generation;
    let page = await getJson<TracePage>("/api/v1/traces", {
      ...toApiParams(filters),
      cursor: reset ? undefined : (cursor ?? undefined),
      limit: "50",
    });
    if (reset) {
      shown.length = 0;
      tbody.replaceChildren();
    }
    const before = shown.length;
    for (;;) {
      shown.push(...page.traces);
      for (const t of page.traces) tbody.append(row(t, projectNames));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      renderTotals();
      // A page the server cut short (a search over a large store) goes on from where it stopped, until a page is shown.
      if (cursor === null || shown.length - before >= 50 || !tbody.isConnected) break;
      page = await getJson<TracePage>("/api/v1/traces", { ...toApiParams(filters), cursor, limit: "50" });
      if (mine !== generation) return;
    }
    if (shown.length === 0 && cursor === null)
      tbody.append(
        h(
          "tr",
          {},
          h(
            "td",
            { colspan: 10, class: "empty" },
            Object.keys(filters).length ? "No trace matches these filters." : "No traces yet. Point the SDK here and run your code.",
          ),
        ),
      );
  };
  more.addEventListener("click", () => {
    pagedFurther = true;
    void load(false);
  });

  replace(
    app,
    filterBar(filters, projects),
    totals,
    h(
      "table",
      { class: "traces" },
      h(
        "thead",
        {},
        headerRow(
          ["Started", "Trace", "Project", "Status", "Spans", "Duration", "Tokens", "Cost", "Session / customer", "Tags"],
          ["Spans", "Duration", "Tokens", "Cost"],
        ),
      ),
      tbody,
    ),
    more,
  );
  listKeys(tbody, "tr.trace-row");
  await load(true);
  // Live: the first page follows new data; once the user paged further, it stays put.
  onChange(() => {
    if (!pagedFurther) void load(true);
  });
}
