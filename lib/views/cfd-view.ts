// What the cumulative-flow chart draws from the API's counts. Pure. The API, the table and the CSV
// keep the spec's numbers; only the drawing may rebase done, so that a year of finished work does
// not flatten the in-progress bands into lines.
import type { CumulativeFlowDay } from "../metrics/compute/series";
import type { StatusCategory } from "../metrics/compute/workflow";
import type { LocalDate } from "../time/calendar";
import type { CfdCount } from "./dashboard-view";

export interface CfdBand {
  name: string;
  category: StatusCategory;
  /** The statuses the band counts: one, or every done status when done is rebased. */
  statuses: string[];
}

export interface CfdPlot {
  /** In workflow order (the chart stacks them bottom-up from the last). */
  bands: CfdBand[];
  /** Per day, the plotted value of each band, in band order. */
  rows: { date: LocalDate; values: number[] }[];
  /** Done at the end of the window's first day, as the API counts it. */
  baseline: number;
  /** The done value plotted on the first day: 0 when rebased, the baseline otherwise. */
  firstDayDone: number;
}

/**
 * "since": done is drawn as one band, done at the end of each day minus done at the end of the
 * first day. The done *category* is rebased rather than each done status, because a move between
 * done statuses (Done → Released) is not a finish (spec 2, finished_at): per status, Done would
 * fall below its first-day count and Released rise above it, and clamping Done at 0 would invent
 * finished work. Reopened items do leave done, so the band may go below 0; that is kept, and
 * every other band keeps its exact height on top of it.
 * "total": one band per status, the API's numbers as they are.
 */
export function cfdPlot(statuses: readonly { name: string; category: StatusCategory }[], daily: readonly CumulativeFlowDay[], count: CfdCount): CfdPlot {
  const baseline = daily[0]?.by_category.done ?? 0;
  if (count === "total") {
    return {
      bands: statuses.map((s) => ({ name: s.name, category: s.category, statuses: [s.name] })),
      rows: daily.map((d) => ({ date: d.date, values: statuses.map((s) => d.by_status[s.name] ?? 0) })),
      baseline,
      firstDayDone: baseline,
    };
  }
  const done = statuses.filter((s) => s.category === "done").map((s) => s.name);
  const first = daily[0]?.date;
  const bands: CfdBand[] = [];
  for (const s of statuses) {
    if (s.category !== "done") bands.push({ name: s.name, category: s.category, statuses: [s.name] });
    else if (s.name === done[0]) bands.push({ name: first ? `done since ${first}` : "done", category: "done", statuses: done });
  }
  return {
    bands,
    rows: daily.map((d) => ({
      date: d.date,
      values: bands.map((b) => (b.category === "done" ? d.by_category.done - baseline : (d.by_status[b.name] ?? 0))),
    })),
    baseline,
    firstDayDone: 0,
  };
}
