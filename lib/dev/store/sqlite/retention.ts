import type { SqlRow } from "./driver.js";
import { int } from "./columns.js";
import type { Origins } from "./origins.js";
import type { StatementCache } from "./statements.js";

/** Retention settings with every default filled in. */
export interface Retention {
  maxAgeMs: number;
  maxBytes: number;
}

// Retention is checked after this many stored bytes (a fraction of the budget) or this long.
const PRUNE_CHECK_FRACTION = 0.02;
const PRUNE_CHECK_MS = 30_000;
const PRUNE_TARGET = 0.9;
const PRUNE_BATCH = 200;
/**
 * How far above the retention budget the database may grow before writes fail (`PRAGMA max_page_count`): the hard
 * limit sits above the budget, so pruning normally gets there first.
 */
export const HARD_LIMIT_FACTOR = 1.25;
// Unused origin rows are looked for once there are more than this many (and then only after their count doubles).
const ORIGIN_PRUNE_THRESHOLD = 256;

/**
 * Retention: removes the oldest traces by age and by size, checked after a share of
 * the budget was written or a while has passed, and unused origin rows once they pile up.
 */
export class Pruner {
  private bytesSinceCheck = 0;
  private lastCheck = Date.now();
  private originLimit = ORIGIN_PRUNE_THRESHOLD;
  /** Traces removed so far. */
  pruned = 0;

  constructor(
    private readonly pageSize: number,
    private readonly retention: Retention,
    private readonly stmts: StatementCache,
    private readonly origins: Origins,
    private readonly transaction: (fn: () => void) => void,
  ) {}

  /** Counts `bytes` of span bodies written, toward the next check. */
  noteWritten(bytes: number): void {
    this.bytesSinceCheck += bytes;
  }

  /** After a write of `count` spans: prunes when enough was written since the last check or enough time passed. */
  afterWrite(count: number): void {
    if (count === 0) return;
    const due = this.bytesSinceCheck > this.retention.maxBytes * PRUNE_CHECK_FRACTION || Date.now() - this.lastCheck > PRUNE_CHECK_MS;
    if (due) this.prune();
  }

  /** Removes traces past the age limit, then the oldest until under the size budget (`force`: to make room now). */
  prune(force = false): void {
    this.bytesSinceCheck = 0;
    this.lastCheck = Date.now();
    // Age counts from when the trace last received a span: replayed or back-dated spans are not dropped on arrival.
    const victims = this.stmts.get("SELECT tid, trace_id FROM traces WHERE updated_at < ? ORDER BY updated_at LIMIT ?");
    if (this.retention.maxAgeMs > 0) {
      const cutoff = Date.now() - this.retention.maxAgeMs;
      while (this.remove(victims.all(cutoff, PRUNE_BATCH)) === PRUNE_BATCH);
    }
    this.pruneOrigins();
    if (this.retention.maxBytes <= 0) return;
    const target = this.retention.maxBytes * (force ? PRUNE_TARGET * PRUNE_TARGET : PRUNE_TARGET);
    if (!force && this.usedBytes() <= this.retention.maxBytes) return;
    const oldest = this.stmts.get("SELECT tid, trace_id FROM traces ORDER BY start_ns LIMIT ?");
    while (this.usedBytes() > target) {
      if (this.remove(oldest.all(PRUNE_BATCH)) === 0) break;
    }
  }

  /**
   * Drops origin rows no span uses any more, once there are many: one is added per distinct project, resource and
   * scope, so only senders that change their resource all the time make them pile up. The scan runs again only
   * after the count has doubled.
   */
  private pruneOrigins(): void {
    const count = int(this.stmts.get("SELECT count(*) AS n FROM origins").get()?.["n"]);
    if (count <= this.originLimit) return;
    this.transaction(() => this.stmts.get("DELETE FROM origins WHERE id NOT IN (SELECT DISTINCT origin FROM spans)").run());
    this.origins.forget();
    this.originLimit = Math.max(ORIGIN_PRUNE_THRESHOLD, 2 * int(this.stmts.get("SELECT count(*) AS n FROM origins").get()?.["n"]));
  }

  private remove(rows: SqlRow[]): number {
    if (rows.length === 0) return 0;
    this.transaction(() => {
      for (const row of rows) {
        const traceId = String(row["trace_id"]);
        this.stmts.get("DELETE FROM spans WHERE tid = ?").run(row["tid"]);
        this.stmts.get("DELETE FROM traces WHERE tid = ?").run(row["tid"]);
        this.stmts
          .get("DELETE FROM tags WHERE trace_id = ? AND NOT EXISTS (SELECT 1 FROM traces WHERE trace_id = ?)")
          .run(traceId, traceId);
      }
    });
    this.pruned += rows.length;
    return rows.length;
  }

  /** Bytes of the database in use (free pages not counted). */
  private usedBytes(): number {
    const pages = int(this.stmts.get("PRAGMA page_count").get()?.["page_count"]);
    const free = int(this.stmts.get("PRAGMA freelist_count").get()?.["freelist_count"]);
    return (pages - free) * this.pageSize;
  }
}
