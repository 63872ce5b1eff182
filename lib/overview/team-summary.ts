// Headline numbers per team for the overview: WIP now, throughput and p85 cycle time over 30 days.
import "server-only";
import type { Db } from "../db/client";
import type { Team } from "../db/queries/teams";
import { computeMetric, type MetricWindow } from "../metrics/load";
import { addDays, localDate } from "../time/calendar";

export const SUMMARY_DAYS = 30;

export interface TeamSummary {
  key: string;
  name: string;
  timezone: string;
  wip: number;
  wipLimit: number | null;
  throughput: number;
  p85CycleTimeDays: number | null;
  openBlockers: number;
  /** Age in days of the oldest item in progress. */
  oldestAgeDays: number | null;
  /** Finished items per week, the last 12 ISO weeks (the first may be partial). */
  weeklyThroughput: number[];
  /** WIP per day over the last 30 days. */
  dailyWip: number[];
}

/** The summaries of the given teams (the caller decides which teams the reader may see). */
export async function listTeamSummaries(db: Db, teams: readonly Team[], now: Date): Promise<TeamSummary[]> {
  return Promise.all(teams.map((team) => summarize(db, team, now)));
}

async function summarize(db: Db, team: Team, asOf: Date): Promise<TeamSummary> {
  const today = localDate(asOf, team.timezone);
  const last30: MetricWindow = { team, asOf, from: addDays(today, -(SUMMARY_DAYS - 1)), to: today };
  const [wip, throughput, weekly, cycleTime, blockers, aging] = await Promise.all([
    computeMetric(db, "wip", last30),
    computeMetric(db, "throughput", last30),
    computeMetric(db, "throughput", { ...last30, from: addDays(today, -83) }),
    computeMetric(db, "cycle-time", last30),
    computeMetric(db, "blockers", last30),
    computeMetric(db, "aging", last30),
  ]);
  return {
    key: team.key,
    name: team.name,
    timezone: team.timezone,
    wip: wip.daily.at(-1)?.wip ?? 0,
    wipLimit: team.wipLimit,
    throughput: throughput.daily.reduce((sum, d) => sum + d.count, 0),
    p85CycleTimeDays: cycleTime.percentiles.p85,
    openBlockers: blockers.open.length,
    oldestAgeDays: aging.items.reduce<number | null>((max, i) => (max === null || i.age_days > max ? i.age_days : max), null),
    weeklyThroughput: weekly.weekly.map((w) => w.count),
    dailyWip: wip.daily.map((d) => d.wip),
  };
}
