/**
 * The viewer's pages, declared once: the server serves the viewer's HTML for
 * exactly these paths, the browser router picks the page from them, and the
 * nav shows the ones with a label. No DOM here, so the server can read it.
 */

/** A page of the viewer. */
export interface ViewerPage {
  /** The paths it answers; capture groups are the page's arguments. */
  readonly pattern: RegExp;
  /** Label and link in the nav, for a top-level page. */
  readonly nav?: { readonly label: string; readonly href: string };
}

/** Every page, in nav order. */
export const PAGES = {
  traces: { pattern: /^\/?$/, nav: { label: "Traces", href: "/" } },
  trace: { pattern: /^\/traces?\/([0-9a-fA-F]{32})\/?$/ },
  sessions: { pattern: /^\/sessions\/?$/, nav: { label: "Sessions", href: "/sessions" } },
  session: { pattern: /^\/sessions\/([^/]+)\/?$/ },
  experiments: { pattern: /^\/experiments\/?$/, nav: { label: "Experiments", href: "/experiments" } },
} as const satisfies Record<string, ViewerPage>;

/** The name of a page. */
export type PageName = keyof typeof PAGES;

/** The page a path shows and its arguments, or undefined for a path that is no page. */
export function matchPage(path: string): { name: PageName; args: string[] } | undefined {
  for (const name of Object.keys(PAGES) as PageName[]) {
    const match = PAGES[name].pattern.exec(path);
    if (match) return { name, args: match.slice(1) };
  }
  return undefined;
}
