import { describe, expect, it } from "vitest";
import type { CumulativeFlowDay } from "../../lib/metrics/compute/series";
import { cfdPlot } from "../../lib/views/cfd-view";

const STATUSES = [
  { name: "Backlog", category: "todo" },
  { name: "In Progress", category: "in_progress" },
  { name: "Done", category: "done" },
  { name: "Released", category: "done" },
] as const;

function day(date: string, backlog: number, inProgress: number, done: number, released: number): CumulativeFlowDay {
  return {
    date,
    by_status: { Backlog: backlog, "In Progress": inProgress, Done: done, Released: released },
    by_category: { todo: backlog, in_progress: inProgress, done: done + released },
  };
}

describe("cumulative flow plot", () => {
  const daily = [day("2026-03-01", 5, 3, 400, 350), day("2026-03-02", 4, 4, 390, 362), day("2026-03-03", 6, 2, 380, 374)];

  it("since the window start: one done band that is 0 on the first day", () => {
    const plot = cfdPlot(STATUSES, daily, "since");
    expect(plot.bands).toEqual([
      { name: "Backlog", category: "todo", statuses: ["Backlog"] },
      { name: "In Progress", category: "in_progress", statuses: ["In Progress"] },
      { name: "done since 2026-03-01", category: "done", statuses: ["Done", "Released"] },
    ]);
    expect(plot.baseline).toBe(750);
    expect(plot.firstDayDone).toBe(0);
    // Done falls below its first-day count as items move on to Released: not a loss of finished work.
    expect(plot.rows).toEqual([
      { date: "2026-03-01", values: [5, 3, 0] },
      { date: "2026-03-02", values: [4, 4, 2] },
      { date: "2026-03-03", values: [6, 2, 4] },
    ]);
  });

  it("keeps every band but done at the API's count, and a net reopening below 0", () => {
    const reopened = [day("2026-03-01", 0, 2, 10, 0), day("2026-03-02", 0, 4, 8, 0)];
    expect(cfdPlot(STATUSES, reopened, "since").rows[1]).toEqual({ date: "2026-03-02", values: [0, 4, -2] });
  });

  it("total: one band per status with the API's numbers", () => {
    const plot = cfdPlot(STATUSES, daily, "total");
    expect(plot.bands.map((b) => b.name)).toEqual(["Backlog", "In Progress", "Done", "Released"]);
    expect(plot.rows[2]).toEqual({ date: "2026-03-03", values: [6, 2, 380, 374] });
    expect(plot.firstDayDone).toBe(750);
  });

  it("a workflow without done statuses, and an empty window", () => {
    expect(cfdPlot(STATUSES.slice(0, 2), [day("2026-03-01", 1, 2, 0, 0)], "since").bands).toHaveLength(2);
    expect(cfdPlot(STATUSES, [], "since")).toEqual({ bands: expect.any(Array), rows: [], baseline: 0, firstDayDone: 0 });
  });
});
