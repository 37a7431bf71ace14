import { setImmediate } from "node:timers";
import type { StoredSpan } from "./span-types.js";
import type { TraceStore } from "./trace-store.js";

interface Pending {
  spans: readonly StoredSpan[];
  resolve(stored: number): void;
  reject(err: unknown): void;
}

/**
 * Group commit for ingest: the requests decoded in one turn of the event loop
 * are written in one transaction, and each is answered only once that
 * transaction has committed — one commit (one write of the log) for several
 * requests. When the shared transaction fails nothing of it is kept, and each
 * request is written again on its own, so a failure (a full disk: 507) belongs
 * to the request that caused it and never leaves part of one stored.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: TraceStore) {}

  /** Stores one request's spans with the others of this turn; resolves with how many replaced or added a copy. */
  put(spans: readonly StoredSpan[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ spans, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what is queued now (also before the store closes). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 1) {
      let counts: number[] | undefined;
      try {
        counts = this.store.putGroup(batch.map((p) => p.spans));
      } catch {
        // Rolled back whole: each request is tried on its own below.
      }
      if (counts) {
        batch.forEach((p, i) => p.resolve(counts[i]));
        return;
      }
    }
    for (const p of batch) {
      try {
        p.resolve(this.store.put(p.spans));
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
