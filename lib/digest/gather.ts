// The digest's numbers, from the metric engine: the same computeMetric, forecast and milestone
// impact as the dashboard, the API and the CLI, so a digest line and the view it links agree.
import "server-only";
import type { Db } from "../db/client";
import { listOpenRoadblocks } from "../db/queries/digest";
import { listKpiPoints, listKpis, listMilestoneEffort, listMilestones } from "../db/queries/outcomes";
import type { Team } from "../db/queries/teams";
import { computeForecast } from "../metrics/compute/forecast";
import { rollUp, type KpiAggregation } from "../metrics/compute/kpi";
import { FORECAST_HISTORY_DAYS, FORECAST_SEED, getForecastHistory } from "../metrics/forecast";
import { AGING_REFERENCE_DAYS, computeMetric, DEFAULT_WINDOW_DAYS, type MetricWindow } from "../metrics/load";
import { DEFAULT_IMPACT_WINDOW, getMilestoneImpact } from "../metrics/outcomes";
import { addDays, daysBetween, isoWeek, localDate, type LocalDate } from "../time/calendar";
import type { DigestFacts, KpiWeekFacts, TeamWeekFacts } from "./content";
import { digestWeek, type DigestWeek } from "./week";

export async function gatherTeamWeek(db: Db, team: Team, week: DigestWeek, kpis: readonly Kpi[]): Promise<TeamWeekFacts> {
  const asOf = week.asOf;
  const asOfDate = localDate(asOf, team.timezone);
  const thisWeek: MetricWindow = { team, asOf, from: week.from, to: week.to };
  const previous: MetricWindow = { team, asOf, from: week.previousFrom, to: addDays(week.from, -1) };
  // Aging compares with the 90 days up to as_of, as the engine does; "stalled" is the data-quality
  // check over the dashboard's default 90 days, so the linked view lists the same items.
  const reference: MetricWindow = { team, asOf, from: addDays(asOfDate, -(AGING_REFERENCE_DAYS - 1)), to: asOfDate };
  const quality: MetricWindow = { team, asOf, from: addDays(asOfDate, -(DEFAULT_WINDOW_DAYS - 1)), to: asOfDate };
  const [throughput, cycle, cyclePrevious, wip, aging, agingReference, report, roadblocks, milestones, effort, history] = await Promise.all([
    computeMetric(db, "throughput", { ...thisWeek, from: week.previousFrom }),
    computeMetric(db, "cycle-time", thisWeek),
    computeMetric(db, "cycle-time", previous),
    computeMetric(db, "wip", thisWeek),
    computeMetric(db, "aging", thisWeek),
    computeMetric(db, "cycle-time", reference),
    computeMetric(db, "quality", quality),
    listOpenRoadblocks(db, team.id, asOf),
    listMilestones(db, team.id),
    listMilestoneEffort(db, team.id, team.timezone, asOf),
    getForecastHistory(db, team, asOf, FORECAST_HISTORY_DAYS),
  ]);

  // A partial week's WIP days stop at as_of's date.
  const wipDays = daysUpTo(wip.daily, asOfDate);
  const weekly = new Map(throughput.weekly.map((w) => [w.week, w.count]));
  const p85 = agingReference.percentiles.p85;
  const effortOf = new Map(effort.map((e) => [e.milestone, e]));

  const shipped: TeamWeekFacts["shipped"] = [];
  const open: TeamWeekFacts["open"] = [];
  for (const m of milestones) {
    const e = effortOf.get(m.key);
    if (m.shippedAt && m.shippedAt.getTime() <= asOf.getTime()) {
      const shippedOn = localDate(m.shippedAt, team.timezone);
      if (shippedOn >= week.from && shippedOn <= week.to) shipped.push({ key: m.key, name: m.name, shippedOn, items: e?.items ?? 0, effortDays: e?.effort_days ?? 0 });
      continue;
    }
    const openItems = e?.open_items ?? 0;
    // The forecast of the API's ?milestone=KEY with its defaults (30 days of history, fixed seed).
    const { when } = computeForecast({ history, asOfDate, target: { items: openItems }, seed: FORECAST_SEED });
    open.push({
      key: m.key,
      name: m.name,
      dueOn: m.dueOn,
      openItems,
      forecast: when && when.p50 !== null && when.p85 !== null ? { p50: when.p50, p85: when.p85 } : null,
      historyDays: FORECAST_HISTORY_DAYS,
    });
  }

  // Milestone impact for launches still being measured: shipped within the impact window up to as_of.
  const impacts: TeamWeekFacts["impacts"] = [];
  const names = new Map(milestones.map((m) => [m.key, m.name]));
  // Only launches still being measured are asked about: most weeks there are none, and then no KPI is read.
  const recent = milestones.some((m) => m.shippedAt && m.shippedAt.getTime() <= asOf.getTime() && daysBetween(localDate(m.shippedAt, team.timezone), asOfDate) < DEFAULT_IMPACT_WINDOW);
  for (const kpi of recent ? kpis : []) {
    const result = await getMilestoneImpact(db, { team: team.key, kpi: kpi.key, as_of: asOf.toISOString() }, asOf);
    for (const row of result.milestones) {
      if (row.shipped_on === null || daysBetween(row.shipped_on, asOfDate) >= DEFAULT_IMPACT_WINDOW) continue;
      impacts.push({
        milestone: names.get(row.key) ?? row.key,
        kpi: { key: kpi.key, name: kpi.name, unit: kpi.unit },
        shippedOn: row.shipped_on,
        change_vs_trend: row.change_vs_trend,
        relative_change_vs_trend: row.relative_change_vs_trend,
        residual_sd: row.residual_sd,
        days_before: row.days_before,
        days_after: row.days_after,
      });
    }
  }

  const reportedOn = (at: Date) => localDate(at, team.timezone);
  return {
    team: { key: team.key, name: team.name },
    week: { from: week.from, to: week.to, label: week.label, previousFrom: week.previousFrom, asOf: asOf.toISOString().replace(".000Z", "Z"), partial: week.partial },
    throughput: {
      week: weekly.get(week.label) ?? 0,
      previous: Array.from({ length: 4 }, (_, i) => weekly.get(isoWeek(addDays(week.previousFrom, 7 * i))) ?? 0),
    },
    cycleTime: { p85: cycle.percentiles.p85, previousP85: cyclePrevious.percentiles.p85, count: cycle.count },
    wip: {
      limit: wip.limits?.team ?? null,
      statusLimits: Object.keys(wip.limits?.statuses ?? {}).length > 0,
      overDays: wipDays.filter((d) => d.over_limit).length,
      days: wipDays.length,
      highest: Math.max(0, ...wipDays.map((d) => d.wip)),
      lowest: wipDays.length ? Math.min(...wipDays.map((d) => d.wip)) : 0,
    },
    aging: {
      p85,
      inProgress: aging.items.length,
      // The engine's own verdict: older than p85 (or p95) of the same 90 days.
      over: aging.items.filter((i) => i.exceeds === "p85" || i.exceeds === "p95").sort((a, b) => b.age_days - a.age_days || a.key.localeCompare(b.key)).map((i) => ({ key: i.key, ageDays: i.age_days })),
    },
    stalled: { from: quality.from, to: quality.to, items: report.checks.find((c) => c.check === "stalled")?.items ?? [] },
    roadblocks: roadblocks.map((r) => ({
      itemKey: r.itemKey,
      problem: r.problem,
      proposal: r.proposal,
      supportNeeded: r.supportNeeded,
      reportedOn: reportedOn(r.reportedAt),
      // Days as the spec counts an open blocker's: calendar dates touched, the first one included.
      waitingDays: daysBetween(reportedOn(r.reportedAt), asOfDate) + 1,
    })),
    shipped,
    open,
    impacts,
    outcomesKpi: kpis[0]?.key ?? null,
  };
}

function daysUpTo<T extends { date: LocalDate }>(daily: readonly T[], upTo: LocalDate): T[] {
  return daily.filter((d) => d.date <= upTo);
}

interface Kpi {
  id: number;
  key: string;
  name: string;
  unit: string | null;
  aggregation: KpiAggregation;
}

/** Each KPI's week against the week before, rolled up by its own aggregation (ISO weeks). */
async function gatherKpis(db: Db, kpis: readonly Kpi[], monday: LocalDate): Promise<KpiWeekFacts[]> {
  const label = isoWeek(monday);
  const previousLabel = isoWeek(addDays(monday, -7));
  return Promise.all(
    kpis.map(async (k) => {
      const points = await listKpiPoints(db, k.id, addDays(monday, 6));
      const weeks = new Map(rollUp(points, k.aggregation, "week").map((p) => [p.period, p.value]));
      return { key: k.key, name: k.name, unit: k.unit, label, previousLabel, value: weeks.get(label) ?? null, previous: weeks.get(previousLabel) ?? null };
    }),
  );
}

/**
 * The facts of a digest for the given teams (the caller decides which the reader may see) and
 * week, each team read in its own timezone. Teams whose week has not begun are left out.
 */
export async function gatherDigest(db: Db, teams: readonly Team[], monday: LocalDate, now: Date, options: { teamName: string | null }): Promise<DigestFacts> {
  const kpis = (await listKpis(db)) as Kpi[];
  const weeks = teams.map((team) => ({ team, week: digestWeek(monday, team.timezone, now) })).filter((t): t is { team: Team; week: DigestWeek } => t.week !== null);
  const facts = [];
  // One team at a time: each already runs its queries in parallel, and the pool is small.
  for (const { team, week } of weeks) facts.push(await gatherTeamWeek(db, team, week, kpis));
  const first = weeks[0];
  return {
    teamName: options.teamName,
    week: monday,
    label: isoWeek(monday),
    partial: weeks.some((w) => w.week.partial),
    teams: facts,
    kpis: first ? await gatherKpis(db, kpis, monday) : [],
    kpiTeam: first?.team.key ?? null,
    kpiAsOf: facts[0]?.week.asOf ?? now.toISOString(),
  };
}
