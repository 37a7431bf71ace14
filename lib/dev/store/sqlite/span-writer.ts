import { Keys } from "../../../wire/keys.js";
import { spanBody } from "../span-row.js";
import { spanFacts, type SpanFacts } from "../span-facts.js";
import { PREVIEW_CHARS } from "../query-types.js";
import type { StoredSpan } from "../span-types.js";
import { int, MAX_INTEGER, nsColumn } from "./columns.js";
import type { SqlValue } from "./driver.js";
import { newTraceRollup } from "./new-trace-rollup.js";
import type { Origins } from "./origins.js";
import type { StatementCache } from "./statements.js";

// Rows per multi-row INSERT at most: one statement binds many rows, which costs far less than a call per row.
const MAX_ROWS_PER_INSERT = 32;
const SPAN_COLUMNS = (
  "tid span_id parent_span_id name span_type status start_ns end_ns update_id received_at origin " +
  "session_id customer_id customer_user_id input_tokens output_tokens cost_usd link_trace_id body"
).split(" ");
// A stored copy is replaced only by one with an update id at least as high.
const SPAN_UPSERT =
  ` ON CONFLICT (tid, span_id) DO UPDATE SET ${SPAN_COLUMNS.slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}` + " WHERE excluded.update_id >= spans.update_id";

// Every column of a rollup row after its key (trace id, side), in the order of the INSERT and UPDATE below.
const ROLLUP_COLUMNS = [
  "project_id",
  "root_name",
  "root_span_id",
  "root_span_type",
  "start_ns",
  "end_ns",
  "span_count",
  "error_count",
  "open_count",
  "status",
  "session_id",
  "customer_id",
  "customer_user_id",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "input_preview",
  "output_preview",
  "run",
  "updated_at",
];

/** The columns of a new trace's rollup row, in the order {@link newTraceRollup} gives its values. */
const TRACE_INSERT_COLUMNS = ["tid", "trace_id", "offline", ...ROLLUP_COLUMNS];

/**
 * Writes spans and keeps their traces' rollup rows current, inside a
 * transaction its caller holds; reports the bytes of the span bodies it writes
 * (retention checks them against its budget).
 */
export class SpanWriter {
  constructor(
    private readonly stmts: StatementCache,
    private readonly origins: Origins,
    private readonly noteBytes: (bytes: number) => void,
  ) {}

  /**
   * Upserts spans and keeps the rollups of their traces current; the caller
   * holds a transaction. New traces (the common case: a request carries whole
   * traces or their first spans) get their rollup computed here from the request
   * and their spans written in multi-row statements; spans of traces already
   * stored are written per trace, whose rollup is then recomputed from its rows.
   * Returns how many spans replaced or added a copy.
   */
  write(spans: readonly StoredSpan[]): number {
    const groups = byTrace(spans);
    const known = this.knownTraces(groups);
    let nextTid = int(this.stmts.get("SELECT max(tid) AS m FROM traces").get()?.["m"]) + 1;
    const rollups: SqlValue[] = [];
    const rows: SqlValue[] = [];
    const recompute: number[] = [];
    let changed = 0;
    const origin = this.origins.lookup();
    for (const group of groups) {
      const facts = group.map(spanFacts);
      const tid = known.get(traceKey(group[0]));
      if (tid === undefined) {
        const id = nextTid++;
        rollups.push(...newTraceRollup(id, group, facts));
        this.spanValues(rows, id, group, facts, origin);
        // The request repeats a span id: the rollup computed from it counted the copies apart.
        if (!distinctIds(group)) recompute.push(id);
      } else {
        const values: SqlValue[] = [];
        this.spanValues(values, tid, group, facts, origin);
        const n = this.insertRows("spans", SPAN_COLUMNS, SPAN_UPSERT, values);
        changed += n;
        if (n > 0) recompute.push(tid);
      }
    }
    this.insertRows("traces", TRACE_INSERT_COLUMNS, "", rollups);
    changed += this.insertRows("spans", SPAN_COLUMNS, SPAN_UPSERT, rows);
    for (const tid of recompute) this.rollUp(tid);
    return changed;
  }

  /** The trace numbers of the groups' traces that are already stored, by {@link traceKey}: one query per side. */
  private knownTraces(groups: readonly StoredSpan[][]): Map<string, number> {
    const known = new Map<string, number>();
    for (const side of [0, 1]) {
      const ids = groups.filter((g) => (g[0].offline ? 1 : 0) === side).map((g) => g[0].traceId);
      if (ids.length === 0) continue;
      const rows = this.stmts
        .get("SELECT tid, trace_id FROM traces WHERE offline = ? AND trace_id IN (SELECT value FROM json_each(?))")
        .all(side, JSON.stringify(ids));
      for (const row of rows) known.set(`${side}${String(row["trace_id"])}`, int(row["tid"]));
    }
    return known;
  }

  /** Appends the column values of `group`'s span rows (in {@link SPAN_COLUMNS} order) to `out`. */
  private spanValues(
    out: SqlValue[],
    tid: number,
    group: readonly StoredSpan[],
    facts: readonly SpanFacts[],
    origin: (span: StoredSpan) => number,
  ): void {
    let bytes = 0;
    for (let i = 0; i < group.length; i++) {
      const span = group[i];
      const f = facts[i];
      const start = nsColumn(span.startTimeUnixNano);
      const end = nsColumn(span.endTimeUnixNano);
      const body = spanBody(span, start === MAX_INTEGER, end === MAX_INTEGER);
      bytes += body.length;
      out.push(
        tid,
        span.spanId,
        span.parentSpanId,
        span.name,
        span.spanType,
        span.status.code,
        start,
        end,
        span.updateId,
        span.receivedAt,
        origin(span),
        f.sessionId,
        f.customerId,
        f.customerUserId,
        f.inputTokens,
        f.outputTokens,
        f.costUsd,
        f.linkTraceId,
        body,
      );
    }
    this.noteBytes(bytes);
  }

  /**
   * Inserts the rows whose values lie one after another in `values`, in
   * multi-row statements of at most {@link MAX_ROWS_PER_INSERT} rows (sizes are
   * powers of two, so few statements are ever prepared). Returns the rows changed.
   */
  private insertRows(table: string, columns: readonly string[], tail: string, values: readonly SqlValue[]): number {
    const width = columns.length;
    let changed = 0;
    for (let offset = 0; offset < values.length;) {
      const left = (values.length - offset) / width;
      let n = MAX_ROWS_PER_INSERT;
      while (n > left) n >>= 1;
      const row = `(${columns.map(() => "?").join(", ")})`;
      const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: n }, () => row).join(", ")}${tail}`;
      changed += this.stmts.get(sql).run(...values.slice(offset, offset + n * width));
      offset += n * width;
    }
    return changed;
  }

  /** Recomputes the rollup row of trace `tid` from its stored spans. */
  private rollUp(tid: number): void {
    const agg = this.stmts
      .get(
        `SELECT count(*) AS n, sum(status = 'error') AS errors, sum(end_ns = 0) AS open, CAST(min(start_ns) AS TEXT) AS start_ns,
         CAST(max(end_ns) AS TEXT) AS end_ns, sum(input_tokens) AS it, sum(output_tokens) AS ot, sum(cost_usd) AS cost, max(received_at) AS upd,
         max(session_id) AS sid, max(customer_id) AS cid, max(customer_user_id) AS cuid, max(o.run) AS run
       FROM spans s JOIN origins o ON o.id = s.origin WHERE tid = ?`,
      )
      .get(tid)!;
    // The root: the span without a parent, else one whose parent is not stored, else the earliest.
    const columns = `s.span_id, s.name, s.span_type, s.status, o.project_id, s.session_id, s.customer_id, s.customer_user_id, o.run,
         substr(json_extract(s.body, '$.attributes."${Keys.input}"'), 1, ${PREVIEW_CHARS}) AS input,
         substr(json_extract(s.body, '$.attributes."${Keys.output}"'), 1, ${PREVIEW_CHARS}) AS output`;
    const from = "FROM spans s JOIN origins o ON o.id = s.origin WHERE s.tid = ?";
    const root =
      this.stmts.get(`SELECT ${columns} ${from} AND s.parent_span_id IS NULL ORDER BY s.start_ns, s.id LIMIT 1`).get(tid) ??
      this.stmts
        .get(
          `SELECT ${columns} ${from} AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.tid = s.tid AND p.span_id = s.parent_span_id)
         ORDER BY s.start_ns, s.id LIMIT 1`,
        )
        .get(tid) ??
      this.stmts.get(`SELECT ${columns} ${from} ORDER BY s.start_ns, s.id LIMIT 1`).get(tid)!;
    const errors = int(agg["errors"]);
    this.stmts
      .get(`UPDATE traces SET ${ROLLUP_COLUMNS.map((c) => `${c} = ?`).join(", ")} WHERE tid = ?`)
      .run(
        root["project_id"],
        root["name"],
        root["span_id"],
        root["span_type"],
        BigInt(String(agg["start_ns"])),
        BigInt(String(agg["end_ns"])),
        agg["n"],
        errors,
        int(agg["open"]),
        errors > 0 ? "error" : root["status"]!,
        root["session_id"] ?? agg["sid"] ?? null,
        root["customer_id"] ?? agg["cid"] ?? null,
        root["customer_user_id"] ?? agg["cuid"] ?? null,
        int(agg["it"]),
        int(agg["ot"]),
        agg["cost"] ?? null,
        previewText(root["input"]),
        previewText(root["output"]),
        root["run"] ?? agg["run"] ?? null,
        int(agg["upd"]),
        tid,
      );
  }
}

/** The key of a span's trace and side, as the writer looks traces up. */
function traceKey(span: StoredSpan): string {
  return `${span.offline ? 1 : 0}${span.traceId}`;
}

/** The spans of a request grouped by trace (and side), each group in arrival order. */
function byTrace(spans: readonly StoredSpan[]): StoredSpan[][] {
  const groups = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const key = traceKey(span);
    const group = groups.get(key);
    if (group) group.push(span);
    else groups.set(key, [span]);
  }
  return [...groups.values()];
}

function distinctIds(group: readonly StoredSpan[]): boolean {
  if (group.length === 1) return true;
  return new Set(group.map((s) => s.spanId)).size === group.length;
}

function previewText(value: SqlValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : String(value);
}
