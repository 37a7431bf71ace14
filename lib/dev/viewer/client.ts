/**
 * The browser side of the trace viewer. The server sends this function's source
 * text (`viewerClient.toString()`), so the page needs no bundler while the code
 * is still type-checked against the DOM and the query API types.
 *
 * Constraint: the body must be self-contained — no imports or module-level
 * names are available in the browser; only types may be referenced.
 */
export function viewerClient(): void {
  type Attr = string | number | boolean | null | Attr[] | { [k: string]: Attr };
  interface Span {
    traceId: string; spanId: string; parentSpanId: string | null; name: string; spanType: string;
    startTimeUnixNano: string; endTimeUnixNano: string; durationMs: number; ended: boolean;
    status: { code: string; message: string }; attributes: Record<string, Attr>;
    events: { name: string; timeUnixNano: string; attributes: Record<string, Attr> }[];
    links: { traceId: string; spanId: string; attributes: Record<string, Attr> }[];
    kind: string; offline: boolean; updateId: number; resource: Record<string, Attr>;
  }
  interface Summary {
    traceId: string; offline: boolean; rootName: string; rootSpanType: string; startTimeUnixNano: string;
    durationMs: number; spanCount: number; status: string; errorCount: number; inProgress: boolean; sessionId: string | null;
    customerId: string | null; customerUserId: string | null; tags: string[];
  }
  interface Link { direction: "from" | "to"; traceId: string; spanId: string | null; localSpanId: string | null; exists: boolean }
  interface Detail { traceId: string; summaries: Summary[]; spans: Span[]; tags: string[]; links: Link[] }
  type Child = Node | string | null | undefined | false;

  const app = document.getElementById("app")!;
  const indicator = document.getElementById("live-indicator");
  let selectedSpanId: string | null = null;
  let renderSeq = 0;

  function h(tag: string, props: Record<string, string | ((e: Event) => void)> = {}, ...children: (Child | Child[])[]): HTMLElement {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (typeof value === "function") el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  function fmtMs(ms: number): string {
    if (ms < 1) return `${ms.toFixed(2)} ms`;
    if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
    return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
  }
  function fmtTime(ns: string): string {
    return new Date(Number(BigInt(ns) / 1_000_000n)).toLocaleString();
  }
  function kindBadge(kind: string): HTMLElement {
    return h("span", { class: `badge kind-${kind.replace(/[^a-z_]/gi, "")}` }, kind);
  }
  function statusBadge(status: string, inProgress: boolean, errorCount = status === "error" ? 1 : 0): HTMLElement {
    if (inProgress) return h("span", { class: "badge status-progress" }, "in progress");
    if (errorCount > 0) return h("span", { class: "badge status-error" }, errorCount === 1 ? "error" : `${errorCount} errors`);
    return h("span", { class: "badge status-ok" }, "ok");
  }
  function sideBadge(offline: boolean): HTMLElement {
    return h("span", { class: `badge side-${offline ? "offline" : "live"}` }, offline ? "offline" : "live");
  }
  function traceHref(traceId: string, offline?: boolean): string {
    return `/traces/${traceId}${offline === undefined ? "" : `?offline=${offline}`}`;
  }
  /** Attribute values arrive serialized; show JSON pretty when it parses. */
  function pretty(value: Attr | undefined): string {
    let parsed: unknown = value;
    if (typeof value === "string") {
      try {
        parsed = JSON.parse(value);
      } catch {
        return value;
      }
    }
    // A plain string reads better without JSON quotes and escapes.
    return typeof parsed === "string" ? parsed : JSON.stringify(parsed, null, 2);
  }
  async function getJson<T>(path: string): Promise<T | null> {
    const res = await fetch(path, { headers: { accept: "application/json" } });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  async function renderList(seq: number): Promise<void> {
    const params = new URLSearchParams(location.search);
    const view = params.get("view") ?? "all";
    const query = view === "live" ? "?offline=false" : view === "offline" ? "?offline=true" : "";
    const data = await getJson<{ traces: Summary[]; total: number }>(`/api/traces${query}`);
    if (seq !== renderSeq || !data) return;
    document.title = "Traces · judgeval dev";
    const seg = h(
      "div",
      { class: "seg" },
      ["all", "live", "offline"].map((v) => h("a", { href: v === "all" ? "/" : `/?view=${v}`, class: v === view ? "on" : "" }, v)),
    );
    const toolbar = h("div", { class: "toolbar" }, h("h1", {}, "Traces"), seg, h("span", { class: "muted" }, `${data.total} traces`));
    if (data.traces.length === 0) {
      app.replaceChildren(toolbar, h("div", { class: "empty muted" }, "No traces yet. Point a tracer at this backend and run your code."));
      return;
    }
    const rows = data.traces.map((t) =>
      h(
        "tr",
        {
          class: `row${t.status === "error" ? " error" : ""}`,
          "data-trace-id": t.traceId,
          onclick: () => navigate(traceHref(t.traceId, t.offline)),
        },
        h("td", {}, fmtTime(t.startTimeUnixNano)),
        h("td", {}, h("a", { href: traceHref(t.traceId, t.offline), class: "root-name" }, t.rootName || "(unnamed)"), " ", kindBadge(t.rootSpanType)),
        h("td", {}, sideBadge(t.offline)),
        h("td", { class: "num" }, t.inProgress ? "…" : fmtMs(t.durationMs)),
        h("td", { class: "num" }, String(t.spanCount)),
        h("td", {}, statusBadge(t.status, t.inProgress, t.errorCount)),
        h("td", { class: "mono" }, t.sessionId ?? ""),
        h("td", { class: "mono" }, [t.customerId, t.customerUserId].filter(Boolean).join(" / ")),
        h("td", {}, t.tags.map((tag) => h("span", { class: "badge tag" }, tag))),
      ),
    );
    const head = h("tr", {}, ["Started", "Root span", "Mode", "Duration", "Spans", "Status", "Session", "Customer", "Tags"].map((c) =>
      h("th", { class: c === "Duration" || c === "Spans" ? "num" : "" }, c)));
    app.replaceChildren(toolbar, h("table", { class: "traces" }, h("thead", {}, head), h("tbody", {}, rows)));
  }

  /** Depth-first order of the span tree; orphans (parent not received yet) become roots. */
  function treeOrder(spans: Span[]): { span: Span; depth: number }[] {
    const ids = new Set(spans.map((s) => s.spanId));
    const children = new Map<string, Span[]>();
    const roots: Span[] = [];
    for (const s of spans) {
      if (s.parentSpanId && ids.has(s.parentSpanId)) {
        const list = children.get(s.parentSpanId) ?? [];
        list.push(s);
        children.set(s.parentSpanId, list);
      } else roots.push(s);
    }
    const out: { span: Span; depth: number }[] = [];
    const walk = (s: Span, depth: number): void => {
      out.push({ span: s, depth });
      for (const c of children.get(s.spanId) ?? []) walk(c, depth + 1);
    };
    roots.forEach((r) => walk(r, 0));
    return out;
  }

  function renderWaterfall(spans: Span[], onSelect: (s: Span) => void): HTMLElement {
    const start = spans.reduce((m, s) => (BigInt(s.startTimeUnixNano) < m ? BigInt(s.startTimeUnixNano) : m), BigInt(spans[0].startTimeUnixNano));
    let end = start;
    for (const s of spans) {
      const e = s.ended ? BigInt(s.endTimeUnixNano) : BigInt(s.startTimeUnixNano);
      if (e > end) end = e;
    }
    const anyOpen = spans.some((s) => !s.ended);
    // Open spans run "until now"; never let the scale collapse to zero.
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    if (anyOpen && nowNs > end) end = nowNs;
    const total = Number(end - start) || 1;
    const rows = treeOrder(spans).map(({ span, depth }) => {
      const offset = Number(BigInt(span.startTimeUnixNano) - start);
      const stop = span.ended ? Number(BigInt(span.endTimeUnixNano) - start) : total;
      const left = (offset / total) * 100;
      const width = Math.max(((stop - offset) / total) * 100, 0.3);
      const isError = span.status.code === "error";
      const linkTarget = span.attributes["judgment.link.target_trace_id"];
      return h(
        "div",
        {
          class: `row${isError ? " error" : ""}${span.spanId === selectedSpanId ? " sel" : ""}`,
          "data-span-id": span.spanId,
          onclick: () => onSelect(span),
        },
        h(
          "div",
          { class: "name", style: `padding-left:${8 + depth * 16}px` },
          kindBadge(span.spanType),
          h("span", { class: "label", title: span.name }, span.name),
          typeof linkTarget === "string" ? h("a", { href: traceHref(linkTarget), title: "linked trace", onclick: (e) => e.stopPropagation() }, "↗") : null,
        ),
        h(
          "div",
          { class: "track" },
          h("div", { class: `bar${span.ended ? "" : " open"}`, style: `left:${left}%;width:${width}%` }),
          h("span", { class: "dur", style: left + width > 80 ? `right:${100 - left + 1}%` : `left:${left + width + 1}%` },
            span.ended ? fmtMs(span.durationMs) : "running"),
        ),
      );
    });
    return h("div", { class: "panel waterfall" }, h("div", { class: "head" }, h("span", {}, "Span"), h("span", {}, `0 — ${fmtMs(total / 1e6)}`)), rows);
  }

  function renderDetail(span: Span): HTMLElement {
    const a = span.attributes;
    const facts: [string, string][] = [
      ["span id", span.spanId],
      ["parent", span.parentSpanId ?? "(root)"],
      ["started", fmtTime(span.startTimeUnixNano)],
      ["duration", span.ended ? fmtMs(span.durationMs) : "running"],
    ];
    const add = (label: string, key: string): void => {
      if (a[key] !== undefined && a[key] !== null) facts.push([label, String(a[key])]);
    };
    add("model", "judgment.llm.model");
    add("provider", "judgment.llm.provider");
    add("input tokens", "judgment.usage.non_cached_input_tokens");
    add("cache read tokens", "judgment.usage.cache_read_input_tokens");
    add("cache write tokens", "judgment.usage.cache_creation_input_tokens");
    add("output tokens", "judgment.usage.output_tokens");
    if (typeof a["judgment.usage.total_cost_usd"] === "number") facts.push(["cost", `$${(a["judgment.usage.total_cost_usd"]).toFixed(6)}`]);
    add("session", "judgment.session_id");
    add("customer", "judgment.customer_id");
    add("customer user", "judgment.customer_user_id");
    if (span.updateId > 0) facts.push(["update id", String(span.updateId)]);

    const section = (title: string, ...body: Child[]): Child[] => [h("h3", {}, title), ...body];
    const kv = (attrs: Record<string, Attr>): HTMLElement =>
      h("table", { class: "attrs" }, Object.keys(attrs).sort().map((k) => h("tr", {}, h("td", {}, k), h("td", {}, typeof attrs[k] === "string" ? (attrs[k]) : JSON.stringify(attrs[k])))));
    const exceptionText = span.events
      .filter((e) => e.name === "exception")
      .map((e) => [e.attributes["exception.type"], e.attributes["exception.message"]].filter(Boolean).join(": "))
      .join("\n");
    return h(
      "div",
      { class: "panel detail", id: "detail" },
      h("h2", {}, kindBadge(span.spanType), h("span", { class: "span-name" }, span.name), statusBadge(span.status.code, !span.ended)),
      span.status.code === "error" ? h("div", { class: "errbox" }, span.status.message || exceptionText || "error") : null,
      h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { class: "mono" }, v)])),
      a["judgment.input"] !== undefined ? section("Input", h("pre", { class: "json", id: "span-input" }, pretty(a["judgment.input"]))) : null,
      a["judgment.output"] !== undefined ? section("Output", h("pre", { class: "json", id: "span-output" }, pretty(a["judgment.output"]))) : null,
      span.events.length > 0
        ? section("Events", ...span.events.map((e) => h("div", { class: `event${e.name === "exception" ? " exception" : ""}` }, h("strong", {}, e.name), " ", h("span", { class: "muted" }, fmtTime(e.timeUnixNano)), kv(e.attributes))))
        : null,
      span.links.length > 0
        ? section("Links", ...span.links.map((l) => h("div", {}, h("a", { href: traceHref(l.traceId) }, `${l.traceId} / ${l.spanId}`))))
        : null,
      section("Attributes", kv(span.attributes)),
      section("Resource", kv(span.resource)),
    );
  }

  async function renderTrace(seq: number, traceId: string): Promise<void> {
    const offline = new URLSearchParams(location.search).get("offline");
    const detail = await getJson<Detail>(`/api/traces/${traceId}${offline ? `?offline=${offline}` : ""}`);
    if (seq !== renderSeq) return;
    if (!detail) {
      app.replaceChildren(h("p", {}, h("a", { href: "/" }, "← traces")), h("div", { class: "empty muted" }, `Trace ${traceId} has no spans here (yet).`));
      return;
    }
    const summary = detail.summaries[0];
    document.title = `${summary.rootName} · judgeval dev`;
    const spans = detail.spans;
    if (!spans.some((s) => s.spanId === selectedSpanId)) {
      selectedSpanId = spans.find((s) => !s.parentSpanId)?.spanId ?? spans[0].spanId;
    }
    const select = (s: Span): void => {
      selectedSpanId = s.spanId;
      void render();
    };
    const links = detail.links.map((l) =>
      h("a", { href: traceHref(l.traceId), class: `trace-link link-${l.direction}`, title: l.exists ? "" : "not received (yet)" },
        l.direction === "from" ? `← started from ${l.traceId.slice(0, 12)}…` : `→ linked trace ${l.traceId.slice(0, 12)}…`),
    );
    const head = h(
      "div",
      { class: "trace-head" },
      h("p", {}, h("a", { href: "/" }, "← traces")),
      h("h1", {}, kindBadge(summary.rootSpanType), h("span", { id: "trace-title" }, summary.rootName), statusBadge(summary.status, summary.inProgress, summary.errorCount),
        detail.summaries.map((s) => sideBadge(s.offline)), detail.tags.map((t) => h("span", { class: "badge tag" }, t))),
      h("div", { class: "meta" }, h("span", { class: "mono" }, detail.traceId), h("span", {}, fmtTime(summary.startTimeUnixNano)),
        h("span", {}, summary.inProgress ? "in progress" : fmtMs(summary.durationMs)), h("span", {}, `${spans.length} spans`)),
      links.length > 0 ? h("div", { class: "links" }, links) : null,
    );
    const selected = spans.find((s) => s.spanId === selectedSpanId)!;
    app.replaceChildren(head, h("div", { class: "layout" }, renderWaterfall(spans, select), renderDetail(selected)));
  }

  async function render(): Promise<void> {
    const seq = ++renderSeq;
    const match = /^\/traces?\/([0-9a-fA-F]{32})\/?$/.exec(location.pathname);
    try {
      if (match) await renderTrace(seq, match[1].toLowerCase());
      else await renderList(seq);
    } catch (err) {
      if (seq === renderSeq) app.replaceChildren(h("div", { class: "errbox" }, String(err)));
    }
  }

  function navigate(href: string): void {
    if (href !== location.pathname + location.search) {
      selectedSpanId = null;
      history.pushState(null, "", href);
    }
    void render();
    window.scrollTo(0, 0);
  }

  document.addEventListener("click", (e) => {
    const a = (e.target as Element).closest?.("a");
    if (!a || a.origin !== location.origin || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
  window.addEventListener("popstate", () => void render());

  // Live updates: the server pushes a "change" event after ingest; re-render the current view.
  const events = new EventSource("/api/events");
  events.addEventListener("change", () => void render());
  events.onopen = () => indicator?.classList.remove("off");
  events.onerror = () => indicator?.classList.add("off");

  void render();
}
