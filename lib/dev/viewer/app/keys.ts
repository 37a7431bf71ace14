/** True when a key press is the browser's to handle: typed into a form field, or with a modifier held. */
export function leaveToBrowser(e: KeyboardEvent): boolean {
  const t = e.target;
  return (
    e.altKey ||
    e.ctrlKey ||
    e.metaKey ||
    (t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(t.tagName)))
  );
}

/** Steps that ↓/j and ↑/k mean in every list and in the span tree. */
export const MOVES: Readonly<Record<string, number>> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };

/**
 * Keyboard navigation of a page's rows (matched by `selector` inside `root`):
 * ↓/j and ↑/k move the focus, Enter on a row follows its first link. Rows are
 * looked up on each key press, so rows redrawn by a live refresh stay
 * reachable; the position is kept when a redraw takes the focused row away.
 */
export function listKeys(root: HTMLElement, selector: string): void {
  let last = -1;
  document.addEventListener("keydown", (e) => {
    if (leaveToBrowser(e)) return;
    const rows = [...root.querySelectorAll<HTMLElement>(selector)];
    if (rows.length === 0) return;
    const active = document.activeElement;
    const focused = rows.findIndex((r) => r === active || r.contains(active));
    const step = MOVES[e.key];
    if (step !== undefined) {
      const from = focused >= 0 ? focused : last;
      last = from < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, from + step));
      rows[last].focus();
      e.preventDefault();
    } else if (e.key === "Enter" && focused >= 0 && active === rows[focused]) {
      rows[focused].querySelector<HTMLAnchorElement>("a[href]")?.click();
      e.preventDefault();
    }
  });
}
