import { describe, expect, it } from "vitest";
import { trendLinePeriods, trendVerdict } from "../../lib/views/trend-line";

// 2026-03-04 is a Wednesday in ISO week 10; with W = 7 the window runs 2026-02-25 (Wed, W09) to 2026-03-10 (Tue, W11).
const line = { intercept: 100, slope: 2 };

describe("a milestone's trend line on the chart's periods", () => {
  it("evaluates a + b·x on every day from −W to W−1 at day grain", () => {
    const points = trendLinePeriods(line, "2026-03-04", 7, "sum", "day");
    expect(points).toHaveLength(14);
    expect(points[0]).toEqual({ period: "2026-02-25", value: 86 });
    expect(points.find((p) => p.period === "2026-03-04")).toEqual({ period: "2026-03-04", value: 100 });
    expect(points[13]).toEqual({ period: "2026-03-10", value: 112 });
  });

  it("drops the window's partial edge weeks for a summed KPI, so the line shows no false dip", () => {
    // W10 (Mon 2026-03-02 … Sun 2026-03-08) is x = −2 … 4: 7 × 100 + 2 × (−2 − 1 + 0 + 1 + 2 + 3 + 4).
    expect(trendLinePeriods(line, "2026-03-04", 7, "sum", "week")).toEqual([{ period: "2026-W10", value: 714 }]);
  });

  it("keeps partial edge weeks for an averaged or last-value KPI, whose values stay on the series' scale", () => {
    expect(trendLinePeriods(line, "2026-03-04", 7, "avg", "week")).toEqual([
      { period: "2026-W09", value: 90 }, // x = −7 … −3
      { period: "2026-W10", value: 102 },
      { period: "2026-W11", value: 111 }, // x = 5, 6
    ]);
    expect(trendLinePeriods(line, "2026-03-04", 7, "last", "week").map((p) => p.value)).toEqual([94, 108, 112]);
  });

  it("keeps a week the window covers exactly", () => {
    // Ship on Monday 2026-03-09 with W = 7: the window is the whole of W10 and W11.
    expect(trendLinePeriods(line, "2026-03-09", 7, "sum", "week")).toEqual([
      { period: "2026-W10", value: 7 * 100 + 2 * (-7 - 6 - 5 - 4 - 3 - 2 - 1) },
      { period: "2026-W11", value: 7 * 100 + 2 * (0 + 1 + 2 + 3 + 4 + 5 + 6) },
    ]);
  });

  it("rolls up to months, leaving out partial months of a sum", () => {
    // W = 28 around 2026-03-15: 2026-02-15 … 2026-04-11; only March is whole.
    const sum = trendLinePeriods({ intercept: 10, slope: 0 }, "2026-03-15", 28, "sum", "month");
    expect(sum).toEqual([{ period: "2026-03", value: 310 }]);
    expect(trendLinePeriods({ intercept: 10, slope: 0 }, "2026-03-15", 28, "avg", "month").map((p) => p.period)).toEqual(["2026-02", "2026-03", "2026-04"]);
  });
});

describe("what the change against the trend says", () => {
  const shipped = { shipped_on: "2026-03-04", days_before: 28, days_after: 28 };

  it("calls a change within twice the before days' spread usual variation, and a larger one a move", () => {
    expect(trendVerdict({ ...shipped, change_vs_trend: 24.5, residual_sd: 12.3 })).toEqual({ kind: "within", residualSd: 12.3 });
    expect(trendVerdict({ ...shipped, change_vs_trend: -24.6, residual_sd: 12.3 })).toEqual({ kind: "beyond", residualSd: 12.3, direction: "below" });
    expect(trendVerdict({ ...shipped, change_vs_trend: 30, residual_sd: 12.3 })).toMatchObject({ kind: "beyond", direction: "above" });
    // Exactly twice the spread is no longer within it.
    expect(trendVerdict({ ...shipped, change_vs_trend: 20, residual_sd: 10 })).toMatchObject({ kind: "beyond" });
  });

  it("reads a KPI exactly on a spotless line as on its trend, and any step off it as a move", () => {
    expect(trendVerdict({ ...shipped, change_vs_trend: 0, residual_sd: 0 })).toEqual({ kind: "on-trend" });
    expect(trendVerdict({ ...shipped, change_vs_trend: 1, residual_sd: 0 })).toMatchObject({ kind: "beyond", direction: "above" });
  });

  it("says why there is nothing to judge", () => {
    const none = { change_vs_trend: null, residual_sd: null };
    expect(trendVerdict({ shipped_on: null, days_before: 0, days_after: 0, ...none })).toEqual({ kind: "open" });
    expect(trendVerdict({ ...shipped, days_after: 0, ...none })).toEqual({ kind: "no-after" });
    expect(trendVerdict({ ...shipped, days_before: 1, ...none })).toEqual({ kind: "too-few-before", days: 1 });
    expect(trendVerdict({ ...shipped, days_before: 2, change_vs_trend: 5, residual_sd: null })).toEqual({ kind: "no-spread" });
  });
});
