import { getJson, type SessionSummary, type TracePage } from "./api.js";
import { fmtCost, fmtMs, fmtTime, fmtTokens, h, headerRow, replace, statusBadge } from "./dom.js";
import { longText, parseMaybeJson } from "./json.js";
import { listKeys } from "./keys.js";

/**
 * A preview as a person reads it. The stored preview is the serialized value,
 * maybe cut short: a JSON string shows as its text, with its line breaks; a
 * string cut inside an escape sequence loses that partial escape.
 */
function previewText(preview: string): string {
  const parsed = parseMaybeJson(preview);
  if (typeof parsed === "string" && parsed !== preview) return parsed;
  if (!preview.startsWith('"')) return preview;
  try {
    return `${JSON.parse(`${preview.replace(/\\(u[0-9a-fA-F]{0,3})?$/, "")}"`) as string}…`;
  } catch {
    return preview;
  }
}

/** One side of a turn (the trace's input or output preview) as a chat bubble; nothing when absent. */
function turnText(role: "user" | "assistant", label: string, text: string | null | undefined): HTMLElement | null {
  return text
    ? h(
        "div",
        { class: `msg role-${role}` },
        h("div", { class: "role" }, label),
        h("div", { class: "msg-text" }, longText(previewText(text))),
      )
    : null;
}

/** All sessions (traces sharing a session id), most recently active first. */
export async function sessionsPage(app: HTMLElement, onChange: (refresh: () => void) => void): Promise<void> {
  const project = new URLSearchParams(location.search).get("project") ?? undefined;
  const { projects } = await getJson<{ projects: { name: string; id: string }[] }>("/api/v1/projects");
  const projectNames = new Map(projects.map((p) => [p.id, p.name]));
  const load = async (): Promise<void> => {
    const { sessions } = await getJson<{ sessions: SessionSummary[] }>("/api/v1/sessions", { project });
    replace(
      app,
      h("h1", {}, "Sessions"),
      sessions.length === 0
        ? h("p", { class: "empty" }, "No session yet. Set one with Tracer.setSessionId(id) inside a trace.")
        : h(
            "table",
            { class: "sessions" },
            h(
              "thead",
              {},
              headerRow(
                ["Session", "Project", "Traces", "With errors", "First", "Last", "Tokens", "Cost", "Customer"],
                ["Traces", "With errors", "Tokens", "Cost"],
              ),
            ),
            h(
              "tbody",
              {},
              sessions.map((s) =>
                h(
                  "tr",
                  { "data-session-id": s.sessionId, tabindex: 0 },
                  h("td", {}, h("a", { href: `/sessions/${encodeURIComponent(s.sessionId)}` }, s.sessionId)),
                  h("td", { class: "project" }, projectNames.get(s.projectId) ?? s.projectId),
                  h("td", { class: "num" }, String(s.traceCount)),
                  h("td", { class: "num" }, s.errorCount ? String(s.errorCount) : ""),
                  h("td", {}, fmtTime(s.firstStartTimeUnixNano)),
                  h("td", {}, fmtTime(s.lastStartTimeUnixNano)),
                  h("td", { class: "num" }, fmtTokens(s.inputTokens + s.outputTokens)),
                  h("td", { class: "num" }, fmtCost(s.costUsd)),
                  h("td", {}, s.customerId ?? ""),
                ),
              ),
            ),
          ),
    );
  };
  listKeys(app, "tr[data-session-id]");
  await load();
  onChange(() => void load());
}

/** One session as a conversation: its traces oldest first, each with its input and output. */
export async function sessionPage(app: HTMLElement, sessionId: string, onChange: (refresh: () => void) => void): Promise<void> {
  const load = async (): Promise<void> => {
    const page = await getJson<TracePage>("/api/v1/traces", { session: sessionId, limit: "1000" });
    const traces = [...page.traces].reverse();
    replace(
      app,
      h("h1", {}, "Session ", h("code", { id: "session-title" }, sessionId)),
      h(
        "p",
        { class: "muted" },
        `${traces.length} traces`,
        page.nextCursor ? " (the newest 1000)" : "",
        " · ",
        h("a", { href: `/?session=${encodeURIComponent(sessionId)}` }, "in the trace list"),
      ),
      h(
        "ol",
        { class: "turns" },
        traces.map((t) =>
          h(
            "li",
            { class: "turn", "data-trace-id": t.traceId },
            h(
              "div",
              { class: "turn-head" },
              h("a", { href: `/traces/${t.traceId}?offline=${t.offline}` }, t.rootName),
              " ",
              statusBadge(t.status, t.inProgress, t.errorCount),
              h("span", { class: "muted" }, ` ${fmtTime(t.startTimeUnixNano)} · ${fmtMs(t.durationMs)}`),
            ),
            turnText("user", "input", t.inputPreview),
            turnText("assistant", "output", t.outputPreview),
          ),
        ),
      ),
    );
  };
  await load();
  onChange(() => void load());
}
