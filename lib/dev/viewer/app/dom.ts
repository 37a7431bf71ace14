/** A child of {@link h}: nodes, text (always inserted as text, never parsed as HTML), or nothing. */
export type Child = Node | string | number | null | undefined | false | Child[];

type Props = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

/**
 * Creates an element. `on*` props become listeners, other props attributes;
 * children are appended as nodes or text nodes. The viewer never assigns
 * `innerHTML`: every string from a trace reaches the page as text.
 */
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "style") setStyle(el, String(value));
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/**
 * Applies `prop:value;...` through the CSSOM: the page's Content-Security-Policy
 * (no inline styles) blocks `style` attributes but not style properties set from script.
 */
function setStyle(el: HTMLElement, declarations: string): void {
  for (const decl of declarations.split(";")) {
    const colon = decl.indexOf(":");
    if (colon > 0) el.style.setProperty(decl.slice(0, colon).trim(), decl.slice(colon + 1).trim());
  }
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** A table's header row; the columns named in `numeric` are right-aligned, as their cells are. */
export function headerRow(columns: readonly string[], numeric: readonly string[]): HTMLElement {
  return h(
    "tr",
    {},
    columns.map((c) => h("th", numeric.includes(c) ? { class: "num" } : {}, c)),
  );
}

/** Replaces the children of `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Milliseconds as a short duration. */
export function fmtMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A cost in dollars without rounding away small digits: 0.0000024 shows as $0.0000024. */
export function fmtCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "";
  if (usd === 0) return "$0";
  if (Math.abs(usd) < 1e-10) return `$${usd.toExponential(2)}`;
  return `$${usd.toFixed(10).replace(/\.?0+$/, "")}`;
}

/** A token count, grouped by thousands. */
export function fmtTokens(n: number): string {
  return n === 0 ? "" : n.toLocaleString("en-US");
}

/** Nanoseconds since the epoch (decimal string) as local date and time. */
export function fmtTime(ns: string): string {
  return new Date(nsToMs(ns)).toLocaleString();
}

function nsToMs(ns: string): number {
  return Number(BigInt(ns) / 1_000_000n);
}

/** A badge naming a span kind; the class keeps only safe characters. */
export function kindBadge(kind: string): HTMLElement {
  return h("span", { class: `badge kind-${kind.replace(/[^a-z_]/gi, "")}` }, kind);
}

/** A trace's or span's status: "in progress" while some span has not ended, else its errors or "ok". */
export function statusBadge(status: string, inProgress: boolean, errorCount = status === "error" ? 1 : 0): HTMLElement {
  if (inProgress) return h("span", { class: "badge status-progress", title: "some spans have not ended yet" }, "in progress");
  if (errorCount > 0) return h("span", { class: "badge status-error" }, errorCount === 1 ? "error" : `${errorCount} errors`);
  return h("span", { class: "badge status-ok" }, "ok");
}

/** Cuts a string for a one-line preview. */
export function short(text: string | null | undefined, max = 120): string {
  if (!text) return "";
  const one = text.replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
