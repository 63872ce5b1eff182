// A milestone's before-window trend as chart points, and what its change against that trend says.
// Pure: evaluates the line the engine fitted (lib/metrics/compute/kpi.ts) and fits nothing itself.
import { periodOf, rollUp, type ImpactWindow, type KpiAggregation, type KpiGrain, type TrendLine } from "../metrics/compute/kpi";
import { addDays, type LocalDate } from "../time/calendar";

export interface TrendPoint {
  period: string;
  value: number;
}

/**
 * The line a + b·x for x = −W … W−1 (the before window and the after window it is projected over),
 * rolled up to the chart's periods with the KPI's own aggregation so it sits on the series' scale.
 */
export function trendLinePeriods(trend: TrendLine, shippedOn: LocalDate, windowDays: number, aggregation: KpiAggregation, grain: KpiGrain): TrendPoint[] {
  const daily = [];
  for (let x = -windowDays; x < windowDays; x++) daily.push({ date: addDays(shippedOn, x), value: trend.intercept + trend.slope * x });
  const first = daily[0]!.date;
  const last = daily[daily.length - 1]!.date;
  // Only the edge periods can be cut by the window. A partial `sum` would show a false dip against
  // the series' full-period sums, so it is dropped; a partial `avg` or `last` is still on the
  // series' scale (its value is taken from the window's days only), so it is kept.
  const partial = new Set<string>();
  if (periodOf(addDays(first, -1), grain) === periodOf(first, grain)) partial.add(periodOf(first, grain));
  if (periodOf(addDays(last, 1), grain) === periodOf(last, grain)) partial.add(periodOf(last, grain));
  return rollUp(daily, aggregation, grain)
    .filter((p) => aggregation !== "sum" || !partial.has(p.period))
    .map(({ period, value }) => ({ period, value }));
}

export type TrendVerdict =
  | { kind: "open" }
  | { kind: "no-after" }
  | { kind: "too-few-before"; days: number }
  /** Exactly two days before: a line, but no spread around it to judge the change by. */
  | { kind: "no-spread" }
  | { kind: "on-trend" }
  | { kind: "within"; residualSd: number }
  | { kind: "beyond"; residualSd: number; direction: "above" | "below" };

type VerdictInput = Pick<ImpactWindow, "change_vs_trend" | "residual_sd" | "days_before" | "days_after"> & { shipped_on: LocalDate | null };

/** Within its usual variation iff |change_vs_trend| < 2 × residual_sd (the before days' spread). */
export function trendVerdict(m: VerdictInput): TrendVerdict {
  if (m.shipped_on === null) return { kind: "open" };
  if (m.change_vs_trend === null) return m.days_after === 0 ? { kind: "no-after" } : { kind: "too-few-before", days: m.days_before };
  if (m.residual_sd === null) return { kind: "no-spread" };
  if (Math.abs(m.change_vs_trend) < 2 * m.residual_sd) return { kind: "within", residualSd: m.residual_sd };
  // A before side exactly on its line (spread 0) and an after side exactly on it too.
  if (m.change_vs_trend === 0) return { kind: "on-trend" };
  return { kind: "beyond", residualSd: m.residual_sd, direction: m.change_vs_trend > 0 ? "above" : "below" };
}
