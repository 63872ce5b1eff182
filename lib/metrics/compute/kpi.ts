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
}

/**
 * Milestone impact: mean of the daily values on the W dates before the ship date against the mean
 * over the ship date and the W−1 dates after it. Dates without data are left out of both means.
 */
export function milestoneImpact(points: ReadonlyMap<LocalDate, number>, shippedOn: LocalDate, windowDays: number): ImpactWindow {
  const side = (from: LocalDate, days: number) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < days; i++) {
      const v = points.get(addDays(from, i));
      if (v !== undefined) {
        sum += v;
        n++;
      }
    }
    return { mean: n > 0 ? sum / n : null, n };
  };
  const before = side(addDays(shippedOn, -windowDays), windowDays);
  const after = side(shippedOn, windowDays);
  const change = before.mean !== null && after.mean !== null ? after.mean - before.mean : null;
  return {
    before: before.mean,
    after: after.mean,
    change,
    relative_change: change !== null && before.mean !== null && before.mean !== 0 ? change / Math.abs(before.mean) : null,
    days_before: before.n,
    days_after: after.n,
  };
}
