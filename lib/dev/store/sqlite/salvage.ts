import { parseOrigin, readSpanRow, type Origin } from "../span-row.js";
import type { StoredSpan } from "../span-types.js";
import type { TraceStore } from "../trace-store.js";
import { int, str } from "./columns.js";
import { isDamage, readPastDamage } from "./damage.js";
import type { SqlDatabase, SqlValue } from "./driver.js";
import { SCHEMA_VERSION } from "./schema.js";

/** What a salvage copied, and what it had to leave behind. */
export interface SalvageReport {
  spans: number;
  traces: number;
  tags: number;
  projects: number;
  /** Key ranges of a table that sat on damaged pages and were skipped. */
  damagedRanges: number;
  /** Rows that were read but could not be made into a span (damaged content, or their trace or origin row lost). */
  unreadableRows: number;
}

const BATCH = 2000;

/**
 * Copies what can be read of a damaged database (`from`, opened read-only) into a new store, row by row in the
 * order of each table's integer key, stepping past damaged pages (see {@link readPastDamage}). Spans go through the
 * new store's write path, so its trace rollups, origins and indexes are built afresh.
 * @throws Error when `from` is not a database of this version's layout, or its schema cannot be read at all.
 */
export function salvageInto(from: SqlDatabase, to: TraceStore): SalvageReport {
  const version = Number(from.prepare("PRAGMA user_version").get()?.["user_version"] ?? 0);
  if (version !== SCHEMA_VERSION) {
    throw new Error(`the database has schema version ${version}, not ${SCHEMA_VERSION}: salvage it with the judgeval that wrote it`);
  }
  const report: SalvageReport = { spans: 0, traces: 0, tags: 0, projects: 0, damagedRanges: 0, unreadableRows: 0 };
  const damaged = (): void => void (report.damagedRanges += 1);
  const scan = (sql: string, key: number, each: (row: SqlValue[]) => void): void => {
    for (let after: bigint | undefined; ;) {
      const rows = readPastDamage<SqlValue[]>(
        {
          direction: 1,
          read: (bound, n, one) => from.prepare(sql).eachValues([bound ?? -(2n ** 63n), n], one),
          keyOf: (row) => BigInt(row[key] as number | bigint),
        },
        BATCH,
        damaged,
        after,
      );
      rows.forEach(each);
      if (rows.length < BATCH) return;
      after = BigInt(rows[rows.length - 1][key] as number | bigint);
    }
  };

  for (const row of rowsUntilDamage(from, "SELECT name, id FROM projects", damaged)) {
    to.addProject({ name: String(row[0]), id: String(row[1]) });
    report.projects += 1;
  }
  const traces = new Map<number, { traceId: string; offline: boolean }>();
  scan("SELECT tid, trace_id, offline FROM traces WHERE tid > ? ORDER BY tid LIMIT ?", 0, (row) => {
    traces.set(int(row[0]), { traceId: String(row[1]), offline: int(row[2]) === 1 });
  });
  const origins = new Map<number, Origin>();
  scan("SELECT id, project_id, resource, scope FROM origins WHERE id > ? ORDER BY id LIMIT ?", 0, (row) => {
    const origin = parseOrigin(row[1], row[2], row[3]);
    if (origin) origins.set(int(row[0]), origin);
  });

  let batch: StoredSpan[] = [];
  const written = new Set<number>();
  const flush = (): void => {
    to.put(batch);
    report.spans += batch.length;
    batch = [];
  };
  scan(
    `SELECT id, tid, span_id, parent_span_id, name, span_type, status, CAST(start_ns AS TEXT), CAST(end_ns AS TEXT),
       update_id, received_at, origin, body FROM spans WHERE id > ? ORDER BY id LIMIT ?`,
    0,
    (row) => {
      const trace = traces.get(int(row[1]));
      const origin = origins.get(int(row[11]));
      const span =
        trace &&
        origin &&
        readSpanRow(
          {
            ...trace,
            spanId: String(row[2]),
            parentSpanId: str(row[3]),
            name: String(row[4]),
            spanType: String(row[5]),
            status: String(row[6]),
            start: String(row[7]),
            end: String(row[8]),
            updateId: int(row[9]),
            receivedAt: int(row[10]),
            body: row[12],
          },
          origin,
        );
      if (!span) {
        report.unreadableRows += 1;
        return;
      }
      written.add(int(row[1]));
      batch.push(span);
      if (batch.length >= BATCH) flush();
    },
  );
  flush();
  report.traces = [...traces.keys()].filter((tid) => written.has(tid)).length;

  const tags = new Map<string, string[]>();
  for (const row of rowsUntilDamage(from, "SELECT trace_id, tag FROM tags ORDER BY trace_id, seq", damaged)) {
    const list = tags.get(String(row[0])) ?? [];
    list.push(String(row[1]));
    tags.set(String(row[0]), list);
  }
  for (const [traceId, list] of tags) {
    if (!to.hasTrace(traceId)) continue;
    to.addTags(traceId, list);
    report.tags += list.length;
  }
  return report;
}

/** The rows `sql` reads, up to the first damaged page (small tables with no integer key to step past it by). */
function rowsUntilDamage(db: SqlDatabase, sql: string, onDamage: () => void): SqlValue[][] {
  const rows: SqlValue[][] = [];
  try {
    db.prepare(sql).eachValues([], (row) => rows.push(row));
  } catch (err) {
    if (!isDamage(err)) throw err;
    onDamage();
  }
  return rows;
}
