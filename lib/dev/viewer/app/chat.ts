import { h } from "./dom.js";
import { longText, parseMaybeJson, valueView } from "./json.js";

/** One chat message as the viewer draws it. */
interface Message {
  role: string;
  parts: (string | { label: string; value: unknown })[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);

/** Text and other parts of a provider message's `content` (string, or a list of typed parts). */
function partsOf(content: unknown): Message["parts"] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return content === undefined || content === null ? [] : [{ label: "content", value: content }];
  return content.map((p) => {
    if (typeof p === "string") return p;
    if (isObj(p) && typeof p["text"] === "string") return p["text"];
    if (isObj(p) && p["type"] === "tool_use") return { label: `tool call ${text(p["name"])}`, value: p["input"] };
    if (isObj(p) && p["type"] === "tool_result") return { label: "tool result", value: p["content"] };
    return { label: isObj(p) ? text(p["type"], "part") : "part", value: p as unknown };
  });
}

function toMessage(m: unknown): Message | undefined {
  if (!isObj(m) || typeof m["role"] !== "string") return undefined;
  const parts = partsOf(m["content"] ?? m["parts"]);
  const calls = m["tool_calls"];
  if (Array.isArray(calls)) {
    for (const c of calls) {
      const fn = isObj(c) && isObj(c["function"]) ? c["function"] : undefined;
      parts.push({ label: `tool call ${text(fn?.["name"])}`, value: parseMaybeJson(fn?.["arguments"]) });
    }
  }
  return { role: m["role"], parts };
}

/** Finds a `messages`-like list (OpenAI, Anthropic, Gemini `contents`) in a request, a level or two down. */
function findMessages(value: unknown, depth = 0): Message[] | undefined {
  if (depth > 3) return undefined;
  if (Array.isArray(value)) {
    const msgs = value.map(toMessage);
    return msgs.length > 0 && msgs.every((m) => m !== undefined) ? msgs : undefined;
  }
  if (!isObj(value)) return undefined;
  for (const key of ["messages", "contents", "input"]) {
    const found = key in value ? findMessages(value[key], depth + 1) : undefined;
    if (found) {
      const system = value["system"] ?? value["instructions"];
      return system === undefined ? found : [{ role: "system", parts: partsOf(system) }, ...found];
    }
  }
  for (const v of Object.values(value)) {
    const found = isObj(v) || Array.isArray(v) ? findMessages(v, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The assistant message(s) of a provider response: OpenAI `choices`, Anthropic `content`, or a plain message. */
function responseMessages(value: unknown): Message[] | undefined {
  if (typeof value === "string") return [{ role: "assistant", parts: [value] }];
  if (!isObj(value)) return undefined;
  if (Array.isArray(value["choices"])) {
    const msgs = value["choices"].map((c) => (isObj(c) ? toMessage(c["message"] ?? c["delta"]) : undefined));
    if (msgs.every((m) => m !== undefined) && msgs.length > 0) return msgs;
  }
  if (Array.isArray(value["content"])) return [{ role: text(value["role"], "assistant"), parts: partsOf(value["content"]) }];
  const single = toMessage(value);
  return single ? [single] : undefined;
}

function renderMessages(messages: Message[]): HTMLElement {
  return h(
    "div",
    { class: "chat" },
    messages.map((m) =>
      h(
        "div",
        { class: `msg role-${m.role.replace(/[^a-z_]/gi, "")}` },
        h("div", { class: "role" }, m.role),
        m.parts.map((p) =>
          typeof p === "string"
            ? h("div", { class: "msg-text" }, longText(p))
            : h("div", { class: "msg-part" }, h("div", { class: "muted" }, p.label), valueView(p.value)),
        ),
      ),
    ),
  );
}

/**
 * A span's input or output: as a chat when it holds LLM messages (with a
 * toggle to the raw JSON), else as a JSON tree or text.
 */
export function ioView(raw: unknown, side: "input" | "output"): HTMLElement {
  const parsed = parseMaybeJson(raw);
  const messages = side === "input" ? findMessages(parsed) : (findMessages(parsed) ?? responseMessages(parsed));
  if (!messages || (side === "output" && typeof parsed === "string")) return h("div", {}, valueView(raw));
  const chat = renderMessages(messages);
  const rawView = h("div", { hidden: true }, valueView(raw));
  const toggle = h("button", { class: "raw-toggle", type: "button" }, "raw");
  toggle.addEventListener("click", () => {
    rawView.hidden = !rawView.hidden;
    chat.hidden = !rawView.hidden;
    toggle.textContent = rawView.hidden ? "raw" : "chat";
  });
  return h("div", {}, toggle, chat, rawView);
}
