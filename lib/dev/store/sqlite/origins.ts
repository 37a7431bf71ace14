import { parseOrigin, type Origin } from "../span-row.js";
import { runOf } from "../span-facts.js";
import type { StoredSpan } from "../span-types.js";
import { int } from "./columns.js";
import type { StatementCache } from "./statements.js";

const MAX_CACHED_ORIGINS = 1024;

/**
 * The origin rows (project, resource and scope, shared by the spans that came
 * with them): their ids by text for writing and their parsed form by id for
 * reading, both cached (bounded).
 */
export class Origins {
  /** Origin ids by project, resource and scope text; only ids of committed rows (forgotten on rollback). */
  private readonly ids = new Map<string, number>();
  /** Parsed origin rows by id (null: damaged). */
  private readonly rows = new Map<number, Origin | null>();

  constructor(private readonly stmts: StatementCache) {}

  /** A lookup of each span's origin row (project, resource, scope), adding rows as needed; spans of one scope share theirs. */
  lookup(): (span: StoredSpan) => number {
    let last: { projectId: string; resource: object; scope: object; id: number } | undefined;
    return (span) => {
      if (last && last.resource === span.resource && last.scope === span.scope && last.projectId === span.projectId) return last.id;
      const resource = JSON.stringify(span.resource);
      const scope = JSON.stringify(span.scope);
      // JSON text holds no raw newline: the joined key is unambiguous.
      const key = `${span.projectId}\n${resource}\n${scope}`;
      let id = this.ids.get(key);
      if (id === undefined) {
        id = int(
          this.stmts
            .get(
              `INSERT INTO origins (project_id, resource, scope, run) VALUES (?, ?, ?, ?)
             ON CONFLICT (project_id, resource, scope) DO UPDATE SET run = excluded.run RETURNING id`,
            )
            .get(span.projectId, resource, scope, runOf(span))?.["id"],
        );
        if (this.ids.size >= MAX_CACHED_ORIGINS) this.ids.clear();
        this.ids.set(key, id);
      }
      last = { projectId: span.projectId, resource: span.resource, scope: span.scope, id };
      return id;
    };
  }

  /** The origin row `id`, parsed once and kept (bounded); undefined when missing or damaged. */
  read(id: number): Origin | undefined {
    let origin = this.rows.get(id);
    if (origin === undefined) {
      const row = this.stmts.get("SELECT project_id, resource, scope FROM origins WHERE id = ?").get(id);
      origin = (row && parseOrigin(row["project_id"], row["resource"], row["scope"])) ?? null;
      if (this.rows.size >= MAX_CACHED_ORIGINS) this.rows.clear();
      this.rows.set(id, origin);
    }
    return origin ?? undefined;
  }

  /** Drops what is cached: after a rollback (its rows are gone) or a prune of unused rows. */
  forget(): void {
    this.ids.clear();
    this.rows.clear();
  }
}
