// Milestone-to-KPI numbers: impact of each ship date on a KPI, and effort per milestone.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { getKpiByKey, listKpiPoints, listMilestoneEffort, listMilestones, listMilestoneThroughput } from "../db/queries/outcomes";
import { getTeamByKey } from "../db/queries/teams";
import { AppError, invalidInput } from "../errors";
import { localDate, type LocalDate } from "../time/calendar";
import { computeForecast } from "./compute/forecast";
import { FORECAST_HISTORY_DAYS, FORECAST_SEED, getForecastHistory } from "./forecast";
import { beforeTrend, milestoneImpact, rollUp, type ImpactWindow, type TrendLine, type KpiAggregation, type KpiGrain, type RolledPoint } from "./compute/kpi";
import { InstantInput } from "./params";

export const DEFAULT_IMPACT_WINDOW = 28;

export const MilestoneImpactInput = z.object({
  team: z.string().min(1, { error: "team is required" }),
  kpi: z.string({ error: "kpi is required" }).min(1, { error: "kpi is required" }),
  window: z.coerce
    .number({ error: "window must be a number of days" })
    .int({ error: "window must be a whole number of days" })
    .min(1, { error: "window must be at least 1 day" })
    .max(366, { error: "window may be at most 366 days" })
    .default(DEFAULT_IMPACT_WINDOW),
  as_of: InstantInput.optional(),
});

export interface MilestoneImpactRow extends ImpactWindow {
  key: string;
  items: number;
  effort_days: number;
  shipped_on: LocalDate | null;
}

export interface MilestoneImpactResult {
  milestones: MilestoneImpactRow[];
}

export async function getMilestoneImpact(db: Db, input: unknown, now: Date): Promise<MilestoneImpactResult> {
  return { milestones: (await loadMilestones(db, input, now)).rows };
}

/** Parses a milestone-impact request and loads what both the API and the outcomes page need. */
async function loadMilestones(db: Db, input: unknown, now: Date) {
  const parsed = MilestoneImpactInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { team: teamKey, kpi: kpiKey, window } = parsed.data;
  const asOf = parsed.data.as_of ?? now;
  const team = await getTeamByKey(db, teamKey);
  if (!team) throw new AppError("TEAM_NOT_FOUND", `No team with key "${teamKey}".`, [{ where: "team", message: "unknown team" }]);
  const kpi = await getKpiByKey(db, kpiKey);
  if (!kpi) throw new AppError("NOT_FOUND", `No KPI with key "${kpiKey}".`, [{ where: "kpi", message: "unknown KPI" }]);
  const asOfDate = localDate(asOf, team.timezone);
  const [list, points, effort] = await Promise.all([
    listMilestones(db, team.id),
    listKpiPoints(db, kpi.id, asOfDate),
    listMilestoneEffort(db, team.id, team.timezone, asOf),
  ]);
  const series = new Map(points.map((p) => [p.date, p.value]));
  const effortOf = new Map(effort.map((e) => [e.milestone, e]));
  const rows = list.map((m): MilestoneImpactRow => {
    const e = effortOf.get(m.key);
    const base = { key: m.key, items: e?.items ?? 0, effort_days: e?.effort_days ?? 0 };
    // A ship date after as_of has not happened yet at as_of.
    if (!m.shippedAt || m.shippedAt.getTime() > asOf.getTime()) {
      return {
        ...base,
        shipped_on: null,
        before: null,
        after: null,
        change: null,
        relative_change: null,
        days_before: 0,
        days_after: 0,
        trend_after: null,
        change_vs_trend: null,
        relative_change_vs_trend: null,
        residual_sd: null,
      };
    }
    const shippedOn = localDate(m.shippedAt, team.timezone);
    return { ...base, shipped_on: shippedOn, ...milestoneImpact(series, shippedOn, window) };
  });
  return { team, kpi, window, asOf, asOfDate, list, points, series, effortOf, rows };
}

export interface OutcomesView {
  team: { key: string; name: string; timezone: string };
  kpi: { key: string; name: string; unit: string | null; aggregation: KpiAggregation };
  grain: KpiGrain;
  window: number;
  series: RolledPoint[];
  /** Finished milestone items per period (summed), to lay over the KPI. */
  milestoneThroughput: RolledPoint[];
  milestones: (MilestoneImpactRow & {
    name: string;
    due_on: LocalDate | null;
    open_items: number;
    /** For an open milestone: when its remaining items will be done (50% and 85% of trials). */
    forecast: { p50: LocalDate | null; p85: LocalDate | null; p95: LocalDate | null } | null;
    /** For a shipped milestone: the before window's trend line, y = intercept + slope·(date − shipped_on in days). */
    trend: TrendLine | null;
  })[];
}

/** Everything the outcomes page draws for one team and one KPI. */
export async function getOutcomesView(
  db: Db,
  input: { team: string; kpi: string; window?: string | number; as_of?: string; grain: KpiGrain },
  now: Date,
): Promise<OutcomesView> {
  const { team, kpi, window, asOf, asOfDate, list, points, series, effortOf, rows } = await loadMilestones(db, input, now);
  const [history, milestoneDaily] = await Promise.all([
    getForecastHistory(db, team, asOf, FORECAST_HISTORY_DAYS),
    listMilestoneThroughput(db, team.id, team.timezone, asOf),
  ]);
  const byKey = new Map(list.map((m) => [m.key, m]));
  return {
    team: { key: team.key, name: team.name, timezone: team.timezone },
    kpi: { key: kpi.key, name: kpi.name, unit: kpi.unit, aggregation: kpi.aggregation },
    grain: input.grain,
    window,
    series: rollUp(points, kpi.aggregation, input.grain),
    milestoneThroughput: rollUp(milestoneDaily, "sum", input.grain),
    milestones: rows.map((row) => {
      const m = byKey.get(row.key)!;
      const remaining = effortOf.get(row.key)?.open_items ?? 0;
      let forecast: OutcomesView["milestones"][number]["forecast"] = null;
      if (row.shipped_on === null) {
        // The same forecast as the API's ?milestone=KEY with its defaults.
        const { when } = computeForecast({ history, asOfDate, target: { items: remaining }, seed: FORECAST_SEED });
        forecast = { p50: when!.p50, p85: when!.p85, p95: when!.p95 };
      }
      const trend = row.shipped_on === null ? null : beforeTrend(series, row.shipped_on, window);
      return { ...row, name: m.name, due_on: m.dueOn, open_items: remaining, forecast, trend };
    }),
  };
}
