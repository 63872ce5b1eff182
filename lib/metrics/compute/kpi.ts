// KPI series: roll-ups by the KPI's aggregation, and milestone impact (spec §3). Pure.
import { addDays, isoWeek, type LocalDate } from "../../time/calendar";

export type KpiAggregation = "sum" | "last" | "avg";
export type KpiGrain = "day" | "week" | "month";

export interface KpiPoint {
  date: LocalDate;
  value: number;
}

export interface RolledPoint {
  /** YYYY-MM-DD, YYYY-Www or YYYY-MM. */
  period: string;
  value: number;
  /** Days with data in the period. */
  days: number;
}

export function periodOf(date: LocalDate, grain: KpiGrain): string {
  return grain === "day" ? date : grain === "week" ? isoWeek(date) : date.slice(0, 7);
}

/** Daily points rolled up to days, ISO weeks or months: summed, last value, or mean of the days with data. */
export function rollUp(points: readonly KpiPoint[], aggregation: KpiAggregation, grain: KpiGrain): RolledPoint[] {
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: (RolledPoint & { sum: number })[] = [];
  for (const p of sorted) {
    const period = periodOf(p.date, grain);
    let last = out[out.length - 1];
    if (!last || last.period !== period) out.push((last = { period, value: 0, days: 0, sum: 0 }));
    last.days++;
    last.sum += p.value;
    last.value = aggregation === "sum" ? last.sum : aggregation === "last" ? p.value : last.sum / last.days;
  }
  return out.map(({ period, value, days }) => ({ period, value, days }));
}

export interface ImpactWindow {
  before: number | null;
  after: number | null;
  change: number | null;
  relative_change: number | null;
  days_before: number;
  days_after: number;
  /** The before side's least-squares line, averaged over the after side's days with data. */
  trend_after: number | null;
  change_vs_trend: number | null;
  relative_change_vs_trend: number | null;
  /** Spread of the before days around their line (n − 2 degrees of freedom). */
  residual_sd: number | null;
}

/** The least-squares line y = a + b·x through the before side, x = date − ship date in days. */
export interface TrendLine {
  intercept: number;
  slope: number;
}

interface DayPoint {
  x: number;
  y: number;
}

/** The KPI's days with data among the `days` dates from `offset` days after the ship date. */
function sidePoints(points: ReadonlyMap<LocalDate, number>, shippedOn: LocalDate, offset: number, days: number): DayPoint[] {
  const out: DayPoint[] = [];
  for (let i = 0; i < days; i++) {
    const y = points.get(addDays(shippedOn, offset + i));
    if (y !== undefined) out.push({ x: offset + i, y });
  }
  return out;
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : null);

/**
 * Ordinary least squares from raw sums: for integer days and integer values every sum is exact, so a
 * perfectly linear series gets its own slope and intercept back and residuals of exactly 0.
 */
export function fitTrend(points: readonly DayPoint[]): TrendLine | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const { x, y } of points) {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = n * sxx - sx * sx;
  if (denominator === 0) return null;
  const slope = (n * sxy - sx * sy) / denominator;
  return { slope, intercept: (sy - slope * sx) / n };
}

/**
 * Milestone impact: mean of the daily values on the W dates before the ship date against the mean
 * over the ship date and the W−1 dates after it, plainly and against the before side's trend.
 * Dates without data are left out of both means and of the fit.
 */
export function milestoneImpact(points: ReadonlyMap<LocalDate, number>, shippedOn: LocalDate, windowDays: number): ImpactWindow {
  const beforePoints = sidePoints(points, shippedOn, -windowDays, windowDays);
  const afterPoints = sidePoints(points, shippedOn, 0, windowDays);
  const before = mean(beforePoints.map((p) => p.y));
  const after = mean(afterPoints.map((p) => p.y));
  const change = before !== null && after !== null ? after - before : null;
  return {
    before,
    after,
    change,
    relative_change: change !== null && before !== null && before !== 0 ? change / Math.abs(before) : null,
    days_before: beforePoints.length,
    days_after: afterPoints.length,
    ...impactAgainstTrend(beforePoints, afterPoints),
  };
}

type TrendFigures = Pick<ImpactWindow, "trend_after" | "change_vs_trend" | "relative_change_vs_trend" | "residual_sd">;

function impactAgainstTrend(beforePoints: readonly DayPoint[], afterPoints: readonly DayPoint[]): TrendFigures {
  const none: TrendFigures = { trend_after: null, change_vs_trend: null, relative_change_vs_trend: null, residual_sd: null };
  const line = fitTrend(beforePoints);
  if (!line || afterPoints.length === 0) return none;
  const n = afterPoints.length;
  // Mean of a + b·x over the after days: a + b·mean(x), summed first so integers stay exact.
  const trendAfter = (n * line.intercept + line.slope * afterPoints.reduce((s, p) => s + p.x, 0)) / n;
  const after = afterPoints.reduce((s, p) => s + p.y, 0) / n;
  const changeVsTrend = after - trendAfter;
  let squares = 0;
  for (const p of beforePoints) squares += (p.y - line.intercept - line.slope * p.x) ** 2;
  return {
    trend_after: trendAfter,
    change_vs_trend: changeVsTrend,
    relative_change_vs_trend: trendAfter !== 0 ? changeVsTrend / Math.abs(trendAfter) : null,
    residual_sd: beforePoints.length >= 3 ? Math.sqrt(squares / (beforePoints.length - 2)) : null,
  };
}

/** The before side's trend line of a milestone, to draw it projected over the after window. */
export function beforeTrend(points: ReadonlyMap<LocalDate, number>, shippedOn: LocalDate, windowDays: number): TrendLine | null {
  return fitTrend(sidePoints(points, shippedOn, -windowDays, windowDays));
}

/**
 * Dates that surely cover a set of period labels (YYYY-MM-DD, YYYY-Www, YYYY-MM), a few days
 * more at either end: what to ask the annotations of before placing them with placeMarks.
 */
export function periodsCover(periods: readonly string[]): { from: LocalDate; to: LocalDate } | null {
  const sorted = periods.filter(Boolean).sort();
  if (sorted.length === 0) return null;
  const bounds = (p: string): [LocalDate, LocalDate] => {
    const week = /^(\d{4})-W(\d{2})$/.exec(p);
    // ISO week 1 starts between Dec 29 and Jan 4.
    if (week) return [addDays(`${week[1]}-01-01`, (Number(week[2]) - 1) * 7 - 3), addDays(`${week[1]}-01-01`, (Number(week[2]) - 1) * 7 + 9)];
    if (/^\d{4}-\d{2}$/.test(p)) return [`${p}-01`, addDays(`${p}-01`, 31)];
    return [p, p];
  };
  return { from: bounds(sorted[0]!)[0], to: bounds(sorted[sorted.length - 1]!)[1] };
}
