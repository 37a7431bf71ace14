import { h, type Child } from "./dom.js";

/** Characters of a string shown before "show more"; each click shows this many more. */
const STRING_CHUNK = 2000;
/** Entries of an array or object shown before "show more". */
const ENTRY_CHUNK = 100;
/** Levels expanded on first render; deeper levels open on click. */
const OPEN_DEPTH = 2;
/** Strings longer than this are not parsed as JSON (shown as text, in chunks). */
const MAX_PARSE_CHARS = 2_000_000;

/** Attribute values arrive serialized: parse a string that holds JSON, else keep it. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string" || value.length > MAX_PARSE_CHARS) return value;
  const t = value.trimStart();
  if (!(t.startsWith("{") || t.startsWith("[") || t.startsWith('"'))) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A long string, shown in chunks with a "show more" button. */
export function longText(text: string, className = "str"): HTMLElement {
  const el = h("span", { class: className });
  let shown = 0;
  const more = h("button", { class: "more", type: "button" });
  const step = (): void => {
    const next = Math.min(text.length, shown + (shown === 0 ? STRING_CHUNK : STRING_CHUNK * 25));
    more.before(document.createTextNode(text.slice(shown, next)));
    shown = next;
    if (shown >= text.length) more.remove();
    else more.textContent = `show more (${(text.length - shown).toLocaleString("en-US")} more characters)`;
  };
  el.append(more);
  more.addEventListener("click", step);
  step();
  return el;
}

function scalar(value: unknown): HTMLElement {
  if (typeof value === "string") return longText(value);
  if (value === null) return h("span", { class: "null" }, "null");
  if (typeof value === "number") return h("span", { class: "num" }, String(value));
  if (typeof value === "boolean") return h("span", { class: "bool" }, String(value));
  return h("span", {}, typeof value === "bigint" ? value.toString() : typeof value);
}

/**
 * A collapsible JSON tree. Nothing is rendered below a collapsed node, so a
 * value nested thousands deep costs only the levels the user opens; long
 * arrays, objects and strings show a first chunk and a "show more" button.
 */
function jsonTree(value: unknown, depth = 0): HTMLElement {
  if (value === null || typeof value !== "object") return scalar(value);
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  const open = Array.isArray(value) ? "[" : "{";
  const close = Array.isArray(value) ? "]" : "}";
  if (entries.length === 0) return h("span", { class: "punct" }, open + close);
  const node = h("span", { class: "json-node" });
  const toggle = h("button", { class: "toggle", type: "button", "aria-expanded": "false" });
  const summary = h(
    "span",
    { class: "punct" },
    `${open}…${close} `,
    h("span", { class: "muted" }, `${entries.length} ${Array.isArray(value) ? "items" : "keys"}`),
  );
  const body = h("div", { class: "json-body" });
  let rendered = 0;
  const moreButton = h("button", { class: "more", type: "button" });
  const renderMore = (): void => {
    const next = Math.min(entries.length, rendered + ENTRY_CHUNK);
    for (const [k, v] of entries.slice(rendered, next)) {
      moreButton.before(
        h(
          "div",
          { class: "json-entry" },
          h("span", { class: "key" }, Array.isArray(value) ? `${k}: ` : `${JSON.stringify(k)}: `),
          jsonTree(v, depth + 1),
        ),
      );
    }
    rendered = next;
    if (rendered >= entries.length) moreButton.remove();
    else moreButton.textContent = `show ${Math.min(ENTRY_CHUNK, entries.length - rendered)} more of ${entries.length - rendered}`;
  };
  moreButton.addEventListener("click", renderMore);
  let isOpen = false;
  const setOpen = (o: boolean): void => {
    isOpen = o;
    toggle.textContent = o ? "▾" : "▸";
    toggle.setAttribute("aria-expanded", String(o));
    summary.hidden = o;
    body.hidden = !o;
    if (o && rendered === 0) {
      body.append(moreButton);
      renderMore();
    }
  };
  toggle.addEventListener("click", () => setOpen(!isOpen));
  node.append(toggle, summary, body);
  setOpen(depth < OPEN_DEPTH);
  return node;
}

/** A value block: strings as text, JSON as a tree. */
export function valueView(raw: unknown): Child {
  const parsed = parseMaybeJson(raw);
  if (typeof parsed === "string") return h("div", { class: "text-block" }, longText(parsed));
  return h("div", { class: "json" }, jsonTree(parsed));
}
