import { subscribeChanges } from "./api.js";
import { experimentsPage } from "./experiments.js";
import { h, replace } from "./dom.js";
import { listPage } from "./list.js";
import { sessionPage, sessionsPage } from "./sessions.js";
import { tracePage } from "./trace.js";

const app = document.getElementById("app")!;
const indicator = document.getElementById("live-indicator")!;

/** Refreshers of the current page, called (at most once per burst) when stored data changes. */
const refreshers: (() => void)[] = [];
let pending = false;

// "Live" means one thing: the page re-reads its data when the backend stores new spans.
subscribeChanges(
  () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      for (const r of refreshers) r();
    });
  },
  (connected) => {
    indicator.classList.toggle("off", !connected);
    indicator.title = connected ? "updates as spans arrive" : "not connected: reload to see new spans";
  },
);

/** A path segment decoded, or undefined when its percent-encoding is malformed (a hand-edited or cut link). */
function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function route(): Promise<void> {
  const path = location.pathname;
  const onChange = (r: () => void): void => void refreshers.push(r);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a"))
    link.classList.toggle("active", link.pathname === `/${path.split("/")[1] ?? ""}`);
  const trace = /^\/traces?\/([0-9a-fA-F]{32})\/?$/.exec(path);
  if (trace) return tracePage(app, trace[1], onChange);
  const session = /^\/sessions\/([^/]+)\/?$/.exec(path);
  if (session) {
    const sessionId = decodedSegment(session[1]);
    if (sessionId === undefined) {
      replace(
        app,
        h(
          "p",
          { class: "error-text", id: "bad-link" },
          "This session link is malformed (bad percent-encoding). Open the session from ",
          h("a", { href: "/sessions" }, "the session list"),
          ".",
        ),
      );
      return Promise.resolve();
    }
    return sessionPage(app, sessionId, onChange);
  }
  if (/^\/sessions\/?$/.test(path)) return sessionsPage(app, onChange);
  if (/^\/experiments\/?$/.test(path)) return experimentsPage(app, onChange);
  return listPage(app, onChange);
}

// Through a promise, so that whatever a page throws, even synchronously, is shown rather than left on "Loading…".
Promise.resolve()
  .then(route)
  .catch((err: unknown) =>
    replace(app, h("p", { class: "error-text" }, `The viewer failed: ${err instanceof Error ? err.message : String(err)}`)),
  );
