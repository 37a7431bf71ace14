import type { Subscribe } from "./wait.js";

/** Tells listeners that stored data changed (waits, the event stream). */
export class ChangeFeed {
  private readonly listeners = new Set<() => void>();

  readonly subscribe: Subscribe = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
