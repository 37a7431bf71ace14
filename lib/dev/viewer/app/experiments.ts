import { getJson, type ExperimentRun } from "./api.js";
import { fmtCost, fmtMs, fmtTime, h, headerRow, replace, short, statusBadge } from "./dom.js";
import { listKeys } from "./keys.js";

type Example = ExperimentRun["examples"][number];
type Score = NonNullable<Example["scores"]>[number];

/** How the comparison's rows are ordered; regressions first by default. */
const SORTS = { delta: "regressions first", input: "dataset order", a: "A score, lowest first", b: "B score, lowest first" } as const;
type Sort = keyof typeof SORTS;
/** Which rows the comparison shows. */
const FILTERS = { all: "all items", regressed: "regressions", improved: "improvements", changed: "score changed" } as const;
type Filter = keyof typeof FILTERS;

function runLabel(run: ExperimentRun): string {
  return `${run.name ?? run.id} · ${run.examples.length} examples · ${fmtTime(run.firstStartTimeUnixNano)}`;
}

/** Mean of an example's numeric scores (its items' overall score), or undefined when it has none. */
function meanScore(example: Example | undefined): number | undefined {
  const values = (example?.scores ?? []).flatMap((s) => (s.score === undefined ? [] : [s.score]));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** Per scorer of a run: the mean of its scores, in the order the scorers first appear. */
function scorerMeans(run: ExperimentRun): Array<{ name: string; mean: number; errors: number }> {
  const by = new Map<string, { sum: number; n: number; errors: number }>();
  for (const s of run.examples.flatMap((e) => e.scores ?? [])) {
    const entry = by.get(s.name) ?? { sum: 0, n: 0, errors: 0 };
    if (s.score === undefined) entry.errors++;
    else {
      entry.sum += s.score;
      entry.n++;
    }
    by.set(s.name, entry);
  }
  return [...by].map(([name, v]) => ({ name, mean: v.n ? v.sum / v.n : NaN, errors: v.errors }));
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
}

const fmtScore = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? "—" : v.toFixed(2));

function scoreList(scores: Score[] | null): HTMLElement {
  if (!scores?.length) return h("span", { class: "muted" }, "—");
  return h(
    "span",
    { class: "scores" },
    scores.map((s) =>
      s.score === undefined
        ? h("span", { class: "score score-error", title: s.error ?? "" }, `${s.name}: error`)
        : h("span", { class: `score ${s.pass ? "score-pass" : "score-fail"}`, title: s.reason ?? "" }, `${s.name} ${fmtScore(s.score)}`),
    ),
  );
}

function outputCells(example: Example | undefined): HTMLElement[] {
  if (!example) return [h("td", { class: "muted" }, "—"), h("td", {})];
  return [
    h(
      "td",
      { class: "output", title: example.output ?? "" },
      h("a", { href: `/traces/${example.traceId}?offline=true` }, short(example.output, 200) || "(no output)"),
      h(
        "div",
        { class: "nowrap muted" },
        statusBadge(example.status, false),
        " ",
        fmtMs(example.durationMs),
        example.costUsd !== null ? ` · ${fmtCost(example.costUsd)}` : "",
      ),
    ),
    h("td", { class: "score-cell" }, scoreList(example.scores)),
  ];
}

interface Row {
  input: string;
  position: number;
  a: Example | undefined;
  b: Example | undefined;
  delta: number | undefined;
}

function ordered(rows: Row[], sort: Sort, filter: Filter): Row[] {
  const keep = rows.filter((r) => {
    if (filter === "all") return true;
    if (r.delta === undefined) return false;
    return filter === "regressed" ? r.delta < 0 : filter === "improved" ? r.delta > 0 : r.delta !== 0;
  });
  const key = (r: Row): number => {
    const v = sort === "delta" ? r.delta : sort === "a" ? meanScore(r.a) : sort === "b" ? meanScore(r.b) : r.position;
    return v ?? Number.POSITIVE_INFINITY;
  };
  return keep.sort((x, y) => key(x) - key(y) || x.position - y.position);
}

function picker<K extends string>(
  name: string,
  label: string,
  options: Record<K, string>,
  current: K,
  onPick: (value: K) => void,
): HTMLElement {
  const select = h(
    "select",
    { name, "aria-label": label },
    (Object.keys(options) as K[]).map((k) => h("option", { value: k }, options[k])),
  ) as HTMLSelectElement;
  select.value = current;
  select.addEventListener("change", () => onPick(select.value as K));
  return h("label", {}, `${label} `, select);
}

/**
 * Experiment runs (offline traces) with their scores, cost and duration, and two of them side by
 * side: per item the expected output, both outputs and both scores, the difference marked,
 * regressions first; sorted and filtered by score. Outputs open their traces.
 */
export async function experimentsPage(app: HTMLElement, onChange: (refresh: () => void) => void): Promise<void> {
  const params = new URLSearchParams(location.search);
  const load = async (): Promise<void> => {
    const { runs } = await getJson<{ runs: ExperimentRun[] }>("/api/v1/experiments", { project: params.get("project") ?? undefined });
    if (runs.length === 0) {
      replace(
        app,
        h("h1", {}, "Experiments"),
        h(
          "p",
          { class: "empty" },
          "No experiment run yet. runExperiment (judgeval/experiment) and offline tracers send their traces here.",
        ),
      );
      return;
    }
    const pick = (name: string, fallback: ExperimentRun | undefined): ExperimentRun | undefined =>
      runs.find((r) => r.id === params.get(name)) ?? fallback;
    const b = pick("b", runs[0]);
    const a = pick(
      "a",
      runs.find((r) => r !== b),
    );
    const chooser = (name: string, current: ExperimentRun | undefined): HTMLElement => {
      const select = h(
        "select",
        { name, "aria-label": `run ${name.toUpperCase()}` },
        h("option", { value: "" }, "(none)"),
        runs.map((r) => h("option", { value: r.id }, runLabel(r))),
      ) as HTMLSelectElement;
      select.value = current?.id ?? "";
      select.addEventListener("change", () => {
        params.set(name, select.value);
        location.search = params.toString();
      });
      return select;
    };
    const rowsByInput = new Map<string, Row>();
    const add = (run: ExperimentRun | undefined, side: "a" | "b"): void => {
      for (const e of run?.examples ?? []) {
        const input = e.input ?? `(trace ${e.traceId})`;
        let row = rowsByInput.get(input);
        if (!row) rowsByInput.set(input, (row = { input, position: rowsByInput.size, a: undefined, b: undefined, delta: undefined }));
        row[side] ??= e;
      }
    };
    add(a, "a");
    add(b, "b");
    const rows = [...rowsByInput.values()];
    for (const row of rows) {
      const [sa, sb] = [meanScore(row.a), meanScore(row.b)];
      row.delta = sa === undefined || sb === undefined ? undefined : sb - sa;
    }
    const sort = (params.get("sort") as Sort | null) ?? "delta";
    const filter = (params.get("filter") as Filter | null) ?? "all";
    const compareBody = h("tbody", {});
    const drawRows = (s: Sort, f: Filter): void => {
      replace(
        compareBody,
        ordered(rows, s in SORTS ? s : "delta", f in FILTERS ? f : "all").map((r) =>
          h(
            "tr",
            {
              tabindex: 0,
              class: `example${r.delta === undefined || r.delta === 0 ? "" : r.delta < 0 ? " regressed" : " improved"}`,
              "data-delta": r.delta === undefined ? "" : String(r.delta),
            },
            h("td", { class: "input", title: r.input }, short(r.input, 200)),
            h("td", { class: "expected", title: r.b?.expected ?? r.a?.expected ?? "" }, short(r.b?.expected ?? r.a?.expected, 200)),
            ...outputCells(r.a),
            ...outputCells(r.b),
            h("td", { class: "num delta" }, r.delta === undefined ? "" : `${r.delta > 0 ? "+" : ""}${r.delta.toFixed(2)}`),
          ),
        ),
      );
    };
    const setView = (key: "sort" | "filter", value: string): void => {
      params.set(key, value);
      history.replaceState(null, "", `?${params.toString()}`);
      drawRows((params.get("sort") as Sort | null) ?? "delta", (params.get("filter") as Filter | null) ?? "all");
    };
    drawRows(sort, filter);
    replace(
      app,
      h("h1", {}, "Experiments"),
      h(
        "table",
        { class: "runs" },
        h(
          "thead",
          {},
          headerRow(
            ["Run", "Examples", "With errors", "Scores (mean)", "Cost", "p50", "Started"],
            ["Examples", "With errors", "Cost", "p50"],
          ),
        ),
        h(
          "tbody",
          {},
          runs.map((r) => {
            const p50 = median(r.examples.map((e) => e.durationMs));
            return h(
              "tr",
              { "data-run-id": r.id },
              h("td", {}, r.name ?? r.id),
              h("td", { class: "num" }, String(r.examples.length)),
              h("td", { class: "num" }, r.errorCount ? String(r.errorCount) : ""),
              h(
                "td",
                { class: "run-scores" },
                scorerMeans(r).map((s) =>
                  h(
                    "span",
                    { class: "score", title: s.errors ? `${s.errors} errors` : "" },
                    `${s.name} ${fmtScore(s.mean)}${s.errors ? ` (${s.errors} err)` : ""}`,
                  ),
                ),
              ),
              h("td", { class: "num" }, fmtCost(r.costUsd)),
              h("td", { class: "num" }, p50 === undefined ? "" : fmtMs(p50)),
              h("td", {}, fmtTime(r.firstStartTimeUnixNano)),
            );
          }),
        ),
      ),
      h("h2", {}, "Compare"),
      h(
        "div",
        { class: "compare-pick" },
        h("label", {}, "A ", chooser("a", a)),
        h("label", {}, "B ", chooser("b", b)),
        picker("sort", "Sort", SORTS, sort in SORTS ? sort : "delta", (v) => setView("sort", v)),
        picker("filter", "Show", FILTERS, filter in FILTERS ? filter : "all", (v) => setView("filter", v)),
      ),
      h(
        "table",
        { class: "compare", id: "compare" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Input"),
            h("th", {}, "Expected"),
            h("th", {}, `A: ${a?.name ?? a?.id ?? "—"}`),
            h("th", {}, "A scores"),
            h("th", {}, `B: ${b?.name ?? b?.id ?? "—"}`),
            h("th", {}, "B scores"),
            h("th", { class: "num" }, "Δ score"),
          ),
        ),
        compareBody,
      ),
    );
  };
  listKeys(app, "#compare tr.example");
  await load();
  onChange(() => void load());
}
