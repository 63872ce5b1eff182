import { describe, expect, it } from "vitest";
import { forecastDaysToFinish, forecastItemsByDate } from "../../lib/metrics/compute/forecast";
import { beforeTrend, milestoneImpact, rollUp } from "../../lib/metrics/compute/kpi";
import { addDays } from "../../lib/time/calendar";

const points = [
  { date: "2026-03-01", value: 10 }, // Sunday, ISO week 09
  { date: "2026-03-02", value: 20 },
  { date: "2026-03-04", value: 30 },
  { date: "2026-04-01", value: 5 },
];

describe("KPI roll-ups", () => {
  it("sums, takes the last value, or averages the days with data", () => {
    expect(rollUp(points, "sum", "week")).toEqual([
      { period: "2026-W09", value: 10, days: 1 },
      { period: "2026-W10", value: 50, days: 2 },
      { period: "2026-W14", value: 5, days: 1 },
    ]);
    expect(rollUp(points, "last", "month")).toEqual([
      { period: "2026-03", value: 30, days: 3 },
      { period: "2026-04", value: 5, days: 1 },
    ]);
    expect(rollUp(points, "avg", "month")).toEqual([
      { period: "2026-03", value: 20, days: 3 },
      { period: "2026-04", value: 5, days: 1 },
    ]);
    expect(rollUp([...points].reverse(), "sum", "day")).toHaveLength(4);
  });
});

const noTrend = { trend_after: null, change_vs_trend: null, relative_change_vs_trend: null, residual_sd: null };

/** A daily series from a function of x = date − ship date in days. */
function seriesAround(shippedOn: string, fromX: number, toX: number, y: (x: number) => number | undefined) {
  const out = new Map<string, number>();
  for (let x = fromX; x <= toX; x++) {
    const v = y(x);
    if (v !== undefined) out.set(addDays(shippedOn, x), v);
  }
  return out;
}

describe("milestone impact beyond the trend (spec v1.1)", () => {
  it("finds no change against the trend on a constant series", () => {
    const impact = milestoneImpact(seriesAround("2026-03-01", -28, 27, () => 100), "2026-03-01", 28);
    expect(impact).toMatchObject({ change: 0, trend_after: 100, change_vs_trend: 0, relative_change_vs_trend: 0, residual_sd: 0 });
  });

  it("reads a perfectly linear KPI as exactly on its trend, although the plain change is large", () => {
    const impact = milestoneImpact(seriesAround("2026-03-01", -28, 27, (x) => 100 + 5 * x), "2026-03-01", 28);
    expect(impact).toEqual({
      before: 27.5,
      after: 167.5,
      change: 140,
      relative_change: 140 / 27.5,
      days_before: 28,
      days_after: 28,
      trend_after: 167.5,
      change_vs_trend: 0,
      relative_change_vs_trend: 0,
      residual_sd: 0,
    });
    expect(beforeTrend(seriesAround("2026-03-01", -28, 27, (x) => 100 + 5 * x), "2026-03-01", 28)).toEqual({ intercept: 100, slope: 5 });
  });

  it("fits a noisy before side by least squares (hand-computed)", () => {
    // Before x = −4…−1: 10, 12, 11, 13 → slope 0.8, intercept 13.5, residuals −0.3, 0.9, −0.9, 0.3.
    const values: Record<number, number> = { [-4]: 10, [-3]: 12, [-2]: 11, [-1]: 13, 0: 20, 1: 20, 2: 20, 3: 20 };
    const impact = milestoneImpact(seriesAround("2026-03-05", -4, 3, (x) => values[x]), "2026-03-05", 4);
    expect(impact.before).toBe(11.5);
    expect(impact.change).toBe(8.5);
    expect(impact.trend_after).toBeCloseTo(14.7, 12);
    expect(impact.change_vs_trend).toBeCloseTo(5.3, 12);
    expect(impact.relative_change_vs_trend).toBeCloseTo(5.3 / 14.7, 12);
    expect(impact.residual_sd).toBeCloseTo(Math.sqrt(0.9), 12);
  });

  it("uses only the days with data on each side, x counted from the ship date", () => {
    // Before: only x = −3 and −1 (a gap); after: only x = 2. Line through (−3, 4) and (−1, 8): y = 10 + 2x.
    const values: Record<number, number> = { [-3]: 4, [-1]: 8, 2: 20 };
    const impact = milestoneImpact(seriesAround("2026-03-05", -4, 3, (x) => values[x]), "2026-03-05", 4);
    expect(impact).toMatchObject({ days_before: 2, days_after: 1, trend_after: 14, change_vs_trend: 6, relative_change_vs_trend: 6 / 14 });
    // n = 2 points fit exactly but say nothing of the spread.
    expect(impact.residual_sd).toBeNull();
  });

  it("gives no trend figures with fewer than 2 before days or no after days, and no relative change on a zero trend", () => {
    const one: Record<number, number> = { [-1]: 5, 0: 7 };
    expect(milestoneImpact(seriesAround("2026-03-05", -4, 3, (x) => one[x]), "2026-03-05", 4)).toMatchObject(noTrend);
    expect(milestoneImpact(seriesAround("2026-03-05", -4, -1, (x) => x), "2026-03-05", 4)).toMatchObject({ ...noTrend, days_after: 0 });
    // Before: 4, 3, 2, 1 (y = −x): the line reaches 0 at x = 0, the only after day.
    const zero: Record<number, number> = { [-4]: 4, [-3]: 3, [-2]: 2, [-1]: 1, 0: 3 };
    expect(milestoneImpact(seriesAround("2026-03-05", -4, 3, (x) => zero[x]), "2026-03-05", 4)).toMatchObject({
      trend_after: 0,
      change_vs_trend: 3,
      relative_change_vs_trend: null,
      residual_sd: 0,
    });
  });
});

describe("milestone impact", () => {
  const series = new Map<string, number>();
  for (let i = 1; i <= 28; i++) series.set(`2026-02-${String(i).padStart(2, "0")}`, 100);
  for (let i = 1; i <= 31; i++) series.set(`2026-03-${String(i).padStart(2, "0")}`, 130);

  it("compares the W days before the ship date with the ship date and the W−1 after", () => {
    expect(milestoneImpact(series, "2026-03-01", 28)).toMatchObject({ before: 100, after: 130, change: 30, relative_change: 0.3, days_before: 28, days_after: 28 });
    // Shipped on 2026-03-15 with W = 28: before = 02-15..03-14 (14 × 100, 14 × 130), after = 03-15..04-11 (17 days of data).
    expect(milestoneImpact(series, "2026-03-15", 28)).toMatchObject({ before: 115, after: 130, days_before: 28, days_after: 17 });
  });

  it("has no relative change when before is 0, and no figures without data", () => {
    const zero = new Map([["2026-01-01", 0], ["2026-01-02", 5]]);
    expect(milestoneImpact(zero, "2026-01-02", 1)).toEqual({ ...noTrend, before: 0, after: 5, change: 5, relative_change: null, days_before: 1, days_after: 1 });
    expect(milestoneImpact(new Map(), "2026-01-02", 7)).toEqual({ ...noTrend, before: null, after: null, change: null, relative_change: null, days_before: 0, days_after: 0 });
    const negative = new Map([["2026-01-01", -10], ["2026-01-02", -5]]);
    expect(milestoneImpact(negative, "2026-01-02", 1).relative_change).toBe(0.5);
  });
});

describe("Monte Carlo forecast", () => {
  it("gives one exact answer for constant throughput", () => {
    expect(forecastDaysToFinish([2, 2, 2], 9, 1)).toEqual({ p50: 5, p70: 5, p85: 5, p95: 5 });
    expect(forecastItemsByDate([3], 10, 1)).toEqual({ p50: 30, p70: 30, p85: 30, p95: 30 });
  });

  it("reproduces a run from its seed, and differs with another seed", () => {
    const history = [0, 1, 3, 0, 2, 5, 1, 0, 0, 4];
    expect(forecastDaysToFinish(history, 40, 7)).toEqual(forecastDaysToFinish(history, 40, 7));
    expect(forecastItemsByDate(history, 30, 7)).toEqual(forecastItemsByDate(history, 30, 7));
    const a = forecastItemsByDate(history, 30, 7, 200);
    const b = forecastItemsByDate(history, 30, 8, 200);
    expect(a).not.toEqual(b);
  });

  it("orders its percentiles the way a reader expects", () => {
    const history = [0, 1, 3, 0, 2, 5, 1, 0, 0, 4];
    const when = forecastDaysToFinish(history, 40, 3);
    expect(when.p50!).toBeLessThanOrEqual(when.p85!);
    expect(when.p85!).toBeLessThanOrEqual(when.p95!);
    const many = forecastItemsByDate(history, 30, 3);
    // More confidence, fewer items: 95% of trials reach a lower count than 50% do.
    expect(many.p95!).toBeLessThanOrEqual(many.p50!);
  });

  it("says 'not in sight' for a throughput of zero", () => {
    expect(forecastDaysToFinish([0, 0], 3, 1)).toEqual({ p50: null, p70: null, p85: null, p95: null });
    expect(forecastDaysToFinish([], 3, 1).p50).toBeNull();
    expect(forecastDaysToFinish([1], 0, 1).p85).toBe(0);
  });
});
