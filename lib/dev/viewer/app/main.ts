import { subscribeChanges } from "./api.js";
import { experimentsPage } from "./experiments.js";
import { h, replace } from "./dom.js";
import { listPage } from "./list.js";
import { matchPage, PAGES, type PageName, type ViewerPage } from "./pages.js";
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

type OnChange = (refresh: () => void) => void;

/** How each page of the table is drawn, from the arguments its pattern captured. */
const RENDERERS: Record<PageName, (args: string[], onChange: OnChange) => Promise<void>> = {
  traces: (_, onChange) => listPage(app, onChange),
  trace: ([traceId], onChange) => tracePage(app, traceId, onChange),
  sessions: (_, onChange) => sessionsPage(app, onChange),
  session: ([segment], onChange) => {
    const sessionId = decodedSegment(segment);
    if (sessionId === undefined) {
      replace(
        app,
        h(
          "p",
          { class: "error-text", id: "bad-link" },
          "This session link is malformed (bad percent-encoding). Open the session from ",
          h("a", { href: PAGES.sessions.nav.href }, "the session list"),
          ".",
        ),
      );
      return Promise.resolve();
    }
    return sessionPage(app, sessionId, onChange);
  },
  experiments: (_, onChange) => experimentsPage(app, onChange),
};

/** The nav: a link per top-level page of the table, the current one marked. */
function drawNav(path: string): void {
  const section = `/${path.split("/")[1] ?? ""}`;
  const links = Object.values(PAGES).flatMap((page: ViewerPage) =>
    page.nav ? [h("a", { href: page.nav.href, class: page.nav.href === section ? "active" : undefined }, page.nav.label)] : [],
  );
  replace(document.querySelector("nav")!, ...links);
}

function route(): Promise<void> {
  const path = location.pathname;
  const onChange: OnChange = (r) => void refreshers.push(r);
  drawNav(path);
  // The server serves this page only for the table's paths; anything else shows the trace list.
  const page = matchPage(path) ?? { name: "traces", args: [] };
  return RENDERERS[page.name](page.args, onChange);
}

// Through a promise, so that whatever a page throws, even synchronously, is shown rather than left on "Loading…".
Promise.resolve()
  .then(route)
  .catch((err: unknown) =>
    replace(app, h("p", { class: "error-text" }, `The viewer failed: ${err instanceof Error ? err.message : String(err)}`)),
  );
