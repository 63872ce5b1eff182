import { describe, expect, it } from "vitest";
import { computeForecast, forecastDaysToFinish, forecastItemsByDate } from "../../lib/metrics/compute/forecast";
import { seededRandom } from "../../lib/metrics/compute/random";
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

describe("Monte Carlo forecast (spec v1.1)", () => {
  it("gives one exact answer for constant throughput", () => {
    expect(forecastDaysToFinish([2, 2, 2], 9, 1)).toEqual({ trials: 10_000, days: { p50: 5, p70: 5, p85: 5, p95: 5 } });
    expect(forecastItemsByDate([3], 10, 1)).toEqual({ trials: 10_000, counts: { p50: 30, p70: 30, p85: 30, p95: 30 } });
  });

  it("counts days from the date after as_of's date: 'when' is as_of's date + d, 'by D' sums D − as_of's date samples", () => {
    // 2 a day: 9 items are reached on day 5 (2, 4, 6, 8, 10), i.e. 2026-03-05 for as_of on 2026-02-28.
    expect(computeForecast({ history: [2, 2, 2], asOfDate: "2026-02-28", target: { items: 9 }, seed: 1 })).toEqual({
      history_days: 3,
      trials: 10_000,
      when: { items: 9, p50: "2026-03-05", p70: "2026-03-05", p85: "2026-03-05", p95: "2026-03-05" },
      how_many: null,
    });
    // Exactly reaching K counts: 10 items at 2 a day is day 5 too.
    expect(computeForecast({ history: [2], asOfDate: "2026-02-28", target: { items: 10 }, seed: 1 }).when?.p85).toBe("2026-03-05");
    // By 2026-03-03: days 1…3 (03-01, 03-02, 03-03) → 3 samples of 2.
    expect(computeForecast({ history: [2, 2], asOfDate: "2026-02-28", target: { by: "2026-03-03" }, seed: 1 })).toEqual({
      history_days: 2,
      trials: 10_000,
      when: null,
      how_many: { date: "2026-03-03", p50: 6, p70: 6, p85: 6, p95: 6 },
    });
    // By as_of's own date (or earlier): no days left, nothing more done.
    expect(computeForecast({ history: [2], asOfDate: "2026-02-28", target: { by: "2026-02-28" }, seed: 1 }).how_many).toMatchObject({ p50: 0, p95: 0 });
    // K = 0 is done on as_of's date.
    expect(computeForecast({ history: [1], asOfDate: "2026-02-28", target: { items: 0 }, seed: 1 }).when).toMatchObject({ p50: "2026-02-28", p95: "2026-02-28" });
  });

  it("runs no trials on a history of zeros: 'when' has no dates, 'how many' is 0", () => {
    expect(computeForecast({ history: [0, 0, 0], asOfDate: "2026-02-28", target: { items: 3 }, seed: 1 })).toEqual({
      history_days: 3,
      trials: 0,
      when: { items: 3, p50: null, p70: null, p85: null, p95: null },
      how_many: null,
    });
    expect(computeForecast({ history: [0, 0], asOfDate: "2026-02-28", target: { by: "2026-03-10" }, seed: 1 })).toEqual({
      history_days: 2,
      trials: 0,
      when: null,
      how_many: { date: "2026-03-10", p50: 0, p70: 0, p85: 0, p95: 0 },
    });
  });

  it("takes percentiles by nearest rank: 'when' ascending, 'how many' descending", () => {
    // History [0, 1]: per day a fair coin. 100 trials of "how many in 1 day": counts are 0 or 1.
    const many = forecastItemsByDate([0, 1], 1, 5, 100);
    const ones = (() => {
      // Replay the trials with the same generator to know how many drew a 1.
      const r = seededRandom(5);
      let n = 0;
      for (let t = 0; t < 100; t++) n += [0, 1][Math.floor(r() * 2)]!;
      return n;
    })();
    // Descending order puts the `ones` trials first: rank ceil(p) is 1 exactly when p ≤ ones.
    for (const p of [50, 70, 85, 95] as const) expect(many.counts[`p${p}`]).toBe(p <= ones ? 1 : 0);
    // History [1, 2], K = 2: a trial is done on day 1 if it first draws a 2, else on day 2.
    const r = seededRandom(9);
    let early = 0;
    for (let t = 0; t < 100; t++) {
      if ([1, 2][Math.floor(r() * 2)] === 2) early++;
      else r();
    }
    const when = forecastDaysToFinish([1, 2], 2, 9, 100);
    for (const p of [50, 70, 85, 95] as const) expect(when.days[`p${p}`]).toBe(p <= early ? 1 : 2);
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
    const { days } = forecastDaysToFinish(history, 40, 3);
    expect(days.p50!).toBeLessThanOrEqual(days.p85!);
    expect(days.p85!).toBeLessThanOrEqual(days.p95!);
    const { counts } = forecastItemsByDate(history, 30, 3);
    // More confidence, fewer items: 95% of trials reach a lower count than 50% do.
    expect(counts.p95).toBeLessThanOrEqual(counts.p50);
  });
});
