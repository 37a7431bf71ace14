import type { SqlDatabase, SqlStatement } from "./driver.js";

const MAX_CACHED_STATEMENTS = 64;

/** Prepared statements by their SQL text, prepared once and kept (bounded: cleared when full). */
export class StatementCache {
  private readonly statements = new Map<string, SqlStatement>();

  constructor(private readonly db: SqlDatabase) {}

  get(sql: string): SqlStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  clear(): void {
    this.statements.clear();
  }
}
