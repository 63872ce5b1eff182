// The small picture of a shared view: one series of bars, from the data the view already holds.
// Pure; drawn by the link's Open Graph image and, as plain SVG, in the page before any script runs.
import { cycleTimeHistogram } from "../metrics/compute/distribution";
import type { MetricResults } from "../metrics/load";
import type { FlowMetric } from "../metrics/params";

export interface PreviewSeries {
  /** What one bar is, for a caption ("weekly throughput"). */
  caption: string;
  values: number[];
}

type Data = { metric: FlowMetric; result: MetricResults[FlowMetric] }[];

function find<M extends FlowMetric>(data: Data, metric: M): MetricResults[M] | undefined {
  return data.find((d) => d.metric === metric)?.result as MetricResults[M] | undefined;
}

/** The bars that best stand for a chart (or, for the whole dashboard, its weekly throughput). */
export function flowPreview(chart: string | null, data: Data): PreviewSeries {
  switch (chart) {
    case "cycle-time":
    case "histogram":
      return { caption: "items per cycle time in days", values: cycleTimeHistogram(find(data, "cycle-time")?.items.map((i) => i.cycle_time_days) ?? []).map((b) => b.count) };
    case "wip":
      return { caption: "work in progress per day", values: find(data, "wip")?.daily.map((d) => d.wip) ?? [] };
    case "cfd": {
      const daily = find(data, "cfd")?.daily ?? [];
      const first = daily[0]?.by_category.done ?? 0;
      return { caption: "done since the first day", values: daily.map((d) => d.by_category.done - first) };
    }
    case "aging":
      return { caption: "age in days of each item in progress", values: (find(data, "aging")?.items ?? []).map((i) => i.age_days).sort((a, b) => b - a) };
    case "blockers":
      return { caption: "days blocked, open blockers", values: (find(data, "blockers")?.open ?? []).map((o) => o.age_days) };
    case "quality":
      return { caption: "items per data-quality check", values: (find(data, "quality")?.checks ?? []).map((c) => c.count) };
    default:
      return { caption: "items finished per week", values: find(data, "throughput")?.weekly.map((w) => w.count) ?? [] };
  }
}

/** Bar heights as fractions of the tallest (all 0 when there is nothing), at most `max` bars (the last ones). */
export function barHeights(values: readonly number[], max = 60): number[] {
  const shown = values.slice(-max);
  const top = Math.max(0, ...shown.map((v) => Math.max(0, v)));
  return shown.map((v) => (top > 0 ? Math.max(0, v) / top : 0));
}
