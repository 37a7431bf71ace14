import { getJson, type ExperimentRun } from "./api.js";
import { fmtCost, fmtMs, fmtTime, h, headerRow, replace, short, statusBadge } from "./dom.js";

type Example = ExperimentRun["examples"][number];

function runLabel(run: ExperimentRun): string {
  return `${run.name ?? run.id} · ${run.examples.length} examples · ${fmtTime(run.firstStartTimeUnixNano)}`;
}

function cell(example: Example | undefined): HTMLElement[] {
  if (!example) return [h("td", { class: "muted" }, "—"), h("td", {})];
  return [
    h(
      "td",
      { class: "output", title: example.output ?? "" },
      h("a", { href: `/traces/${example.traceId}?offline=true` }, short(example.output, 200) || "(no output)"),
    ),
    h(
      "td",
      { class: "nowrap" },
      statusBadge(example.status, false),
      " ",
      fmtMs(example.durationMs),
      example.costUsd !== null ? ` · ${fmtCost(example.costUsd)}` : "",
    ),
  ];
}

/** Experiment runs (offline traces) and two of them side by side, examples matched by input. */
export async function experimentsPage(app: HTMLElement, onChange: (refresh: () => void) => void): Promise<void> {
  const params = new URLSearchParams(location.search);
  const load = async (): Promise<void> => {
    const { runs } = await getJson<{ runs: ExperimentRun[] }>("/api/v1/experiments", { project: params.get("project") ?? undefined });
    if (runs.length === 0) {
      replace(
        app,
        h("h1", {}, "Experiments"),
        h("p", { class: "empty" }, "No experiment run yet. Offline tracers (judgeval.offlineTracer) send their traces here."),
      );
      return;
    }
    const pick = (name: string, fallback: ExperimentRun | undefined): ExperimentRun | undefined =>
      runs.find((r) => r.id === params.get(name)) ?? fallback;
    const a = pick("a", runs[1] ?? runs[0]);
    const b = pick("b", runs.length > 1 ? runs[0] : undefined);
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
    const inputs: string[] = [];
    const byInput = (run: ExperimentRun | undefined): Map<string, Example> => {
      const m = new Map<string, Example>();
      for (const e of run?.examples ?? []) {
        const key = e.input ?? `(trace ${e.traceId})`;
        if (!inputs.includes(key)) inputs.push(key);
        if (!m.has(key)) m.set(key, e);
      }
      return m;
    };
    const left = byInput(a);
    const right = byInput(b);
    replace(
      app,
      h("h1", {}, "Experiments"),
      h(
        "table",
        { class: "runs" },
        h("thead", {}, headerRow(["Run", "Examples", "With errors", "Cost", "Started"], ["Examples", "With errors", "Cost"])),
        h(
          "tbody",
          {},
          runs.map((r) =>
            h(
              "tr",
              { "data-run-id": r.id },
              h("td", {}, r.name ?? r.id),
              h("td", { class: "num" }, String(r.examples.length)),
              h("td", { class: "num" }, r.errorCount ? String(r.errorCount) : ""),
              h("td", { class: "num" }, fmtCost(r.costUsd)),
              h("td", {}, fmtTime(r.firstStartTimeUnixNano)),
            ),
          ),
        ),
      ),
      h("h2", {}, "Compare"),
      h("div", { class: "compare-pick" }, h("label", {}, "A ", chooser("a", a)), h("label", {}, "B ", chooser("b", b))),
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
            h("th", {}, `A: ${a?.name ?? a?.id ?? "—"}`),
            h("th", {}),
            h("th", {}, `B: ${b?.name ?? b?.id ?? "—"}`),
            h("th", {}),
          ),
        ),
        h(
          "tbody",
          {},
          inputs.map((input) =>
            h(
              "tr",
              { class: "example" },
              h("td", { class: "input", title: input }, short(input, 200)),
              ...cell(left.get(input)),
              ...cell(right.get(input)),
            ),
          ),
        ),
      ),
    );
  };
  await load();
  onChange(() => void load());
}
