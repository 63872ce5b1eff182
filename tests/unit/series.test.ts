import { describe, expect, it } from "vitest";
import { accumulateFlow, fillDaily, roundHours, weeklyFromDaily } from "../../lib/metrics/compute/series";

describe("series shaping", () => {
  it("lists every day of the window, zeros included", () => {
    const daily = fillDaily("2026-03-01", "2026-03-03", new Map([["2026-03-02", 4]]));
    expect(daily).toEqual([
      { date: "2026-03-01", count: 0 },
      { date: "2026-03-02", count: 4 },
      { date: "2026-03-03", count: 0 },
    ]);
  });

  it("counts a week cut by the window only for its days inside it", () => {
    // 2026-03-01 is a Sunday (end of W09); 2026-03-02..08 is W10; 2026-03-09 starts W11.
    const daily = fillDaily("2026-03-01", "2026-03-09", new Map([["2026-03-01", 2], ["2026-03-02", 1], ["2026-03-08", 3], ["2026-03-09", 5]]));
    expect(weeklyFromDaily(daily)).toEqual([
      { week: "2026-W09", count: 2 },
      { week: "2026-W10", count: 4 },
      { week: "2026-W11", count: 5 },
    ]);
  });

  it("accumulates status deltas into end-of-day counts by status and category", () => {
    const statuses = [
      { name: "Backlog", category: "todo" as const },
      { name: "Doing", category: "in_progress" as const },
      { name: "Done", category: "done" as const },
    ];
    const days = accumulateFlow("2026-03-01", "2026-03-03", statuses, [
      { status: "Backlog", date: "2026-03-01", delta: 2 },
      { status: "Backlog", date: "2026-03-02", delta: -1 },
      { status: "Doing", date: "2026-03-02", delta: 1 },
      { status: "Doing", date: "2026-03-03", delta: -1 },
      { status: "Done", date: "2026-03-03", delta: 1 },
    ]);
    expect(days.map((d) => d.by_status)).toEqual([
      { Backlog: 2, Doing: 0, Done: 0 },
      { Backlog: 1, Doing: 1, Done: 0 },
      { Backlog: 1, Doing: 0, Done: 1 },
    ]);
    expect(days[2]!.by_category).toEqual({ todo: 1, in_progress: 0, done: 1 });
  });

  it("rounds hours to two decimals", () => {
    expect(roundHours(3_618_000)).toBe(1.01);
    expect(roundHours(90 * 60_000)).toBe(1.5);
  });
});
