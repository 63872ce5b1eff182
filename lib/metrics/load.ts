// Feeds the pure metric definitions from the store. The API and the CLI both call getTeamMetric.
import "server-only";
import type { Db } from "../db/client";
import {
  countFinishedByDate,
  countStatusWipByDate,
  listAgingItems,
  listBlockedItems,
  listCycleTimeDays,
  listFinishedItems,
  listFlowDeltas,
  listItemsChangedAfter,
  listWipDeltas,
  type FlowQuery,
} from "../db/queries/flow";
import { blockedFactsBuilt, listBlockedFacts } from "../db/queries/blocked-facts";
import { dayFactsTimezone, listStateChangesOnAsOfDay, sumStatusFacts, sumWipFacts } from "../db/queries/day-facts";
import { getQualityReport } from "../db/queries/quality";
import { listItemTitles } from "../db/queries/items";
import { getTeamByKey, listWorkflowStatuses, type Team } from "../db/queries/teams";
import { AppError, invalidInput } from "../errors";
import { addDays, daysBetween, formatEpochMs, formatInstant, localDate, type LocalDate } from "../time/calendar";
import { blockedTimeFromFacts, computeBlockedTime, type BlockedTime } from "./compute/blocked-time";
import { QUALITY_CHECKS, type QualityCheck } from "./compute/quality";
import { computePercentiles, highestExceeded, type PercentileName, type Percentiles } from "./compute/percentiles";
import { accumulateFlow, fillDaily, roundHours, runningTotals, weeklyFromDaily, type CumulativeFlowDay } from "./compute/series";
import { MAX_WINDOW_DAYS, MetricParamsInput, type FlowMetric, type MetricParams } from "./params";

export const DEFAULT_WINDOW_DAYS = 90;
/** Aging compares ages with the cycle times of items finished in this many days up to as_of. */
export const AGING_REFERENCE_DAYS = 90;

/** What details=1 adds to an item: enough to label it and link to it. */
export interface ItemDetails {
  title?: string;
  type?: string;
  url?: string | null;
}

export interface CycleTimeResult {
  count: number;
  percentiles: Percentiles;
  items: ({ key: string; started_at: string; finished_at: string; cycle_time_days: number; cycle_time_hours: number } & ItemDetails)[];
}
export interface ThroughputResult {
  daily: { date: LocalDate; count: number }[];
  weekly: { week: string; count: number }[];
}
export interface WipDay {
  date: LocalDate;
  wip: number;
  /** Present when the team has WIP limits: in-progress items per limited status. */
  by_status?: Record<string, number>;
  /** Present when the team has WIP limits: true when the team or a status is over its limit. */
  over_limit?: boolean;
}
export interface WipResult {
  daily: WipDay[];
  /** Present when the team has WIP limits. */
  limits?: { team: number | null; statuses: Record<string, number> };
}
export interface CfdResult {
  statuses: string[];
  daily: CumulativeFlowDay[];
}
export interface AgingResult {
  items: ({ key: string; status: string; started_at: string; age_days: number; age_hours: number; exceeds: PercentileName | null } & ItemDetails)[];
}
export interface BlockersResult {
  open: ({ key: string; blocked_since: string; age_days: number; age_hours: number; reasons: string[] } & ItemDetails)[];
  items: { key: string; blocked_hours: number }[];
  /** With details=1: blocked hours per reason, largest first. */
  by_reason?: { reason: string; hours: number }[];
}

export interface QualityResult {
  items_checked: number;
  checks: { check: QualityCheck; count: number; items: string[] }[];
  /** With details=1: the title of every listed item. */
  titles?: Record<string, string>;
}

export interface MetricResults {
  "cycle-time": CycleTimeResult;
  throughput: ThroughputResult;
  wip: WipResult;
  cfd: CfdResult;
  aging: AgingResult;
  blockers: BlockersResult;
  quality: QualityResult;
}

/** A resolved request: the team, and the window and as_of with their defaults applied. */
export interface MetricWindow {
  team: Team;
  asOf: Date;
  from: LocalDate;
  to: LocalDate;
  type?: string;
  /** Add titles, types and links (details=1). */
  details?: boolean;
}

export async function resolveWindow(db: Db, params: Omit<MetricParams, "metric">, now: Date): Promise<MetricWindow> {
  const team = await getTeamByKey(db, params.team);
  if (!team) throw new AppError("TEAM_NOT_FOUND", `No team with key "${params.team}".`, [{ where: "team", message: "unknown team" }]);
  const asOf = params.as_of ?? now;
  const to = params.to ?? localDate(asOf, team.timezone);
  const from = params.from ?? addDays(to, -(DEFAULT_WINDOW_DAYS - 1));
  if (from > to) throw new AppError("INVALID_INPUT", "from must not be after to", [{ where: "from", message: `${from} is after ${to}` }]);
  if (daysBetween(from, to) + 1 > MAX_WINDOW_DAYS) {
    throw new AppError("INVALID_INPUT", `the window may span at most ${MAX_WINDOW_DAYS} days`, [{ where: "from", message: "window too long" }]);
  }
  return { team, asOf, from, to, type: params.type, details: params.details };
}

/** One flow metric for one team, in the spec's output shape. `input` is untrusted (query string, argv). */
export async function getTeamMetric(db: Db, input: unknown, now: Date): Promise<MetricResults[FlowMetric]> {
  const parsed = MetricParamsInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const window = await resolveWindow(db, parsed.data, now);
  return computeMetric(db, parsed.data.metric, window);
}

export async function computeMetric<M extends FlowMetric>(db: Db, metric: M, window: MetricWindow): Promise<MetricResults[M]> {
  const compute: { [K in FlowMetric]: (db: Db, w: MetricWindow) => Promise<MetricResults[K]> } = {
    "cycle-time": getCycleTime,
    throughput: getThroughput,
    wip: getWip,
    cfd: getCfd,
    aging: getAging,
    blockers: getBlockers,
    quality: getQuality,
  };
  return compute[metric](db, window) as Promise<MetricResults[M]>;
}

function flowQuery(w: MetricWindow): FlowQuery {
  return { teamId: w.team.id, timezone: w.team.timezone, asOf: w.asOf, from: w.from, to: w.to, type: w.type };
}

export async function getCycleTime(db: Db, w: MetricWindow): Promise<CycleTimeResult> {
  const rows = await listFinishedItems(db, flowQuery(w), w.details);
  return {
    count: rows.length,
    percentiles: computePercentiles(rows.map((r) => r.cycle_time_days)),
    items: rows.map((r) => ({
      key: r.key,
      started_at: formatEpochMs(r.started_ms),
      finished_at: formatEpochMs(r.finished_ms),
      cycle_time_days: r.cycle_time_days,
      cycle_time_hours: roundHours(r.finished_ms - r.started_ms),
      ...(w.details ? { title: r.title, type: r.type, url: r.url } : {}),
    })),
  };
}

export async function getThroughput(db: Db, w: MetricWindow): Promise<ThroughputResult> {
  const daily = fillDaily(w.from, w.to, await countFinishedByDate(db, flowQuery(w)));
  return { daily, weekly: weeklyFromDaily(daily) };
}

export async function getWip(db: Db, w: MetricWindow): Promise<WipResult> {
  const q = flowQuery(w);
  const [statuses, factsZone] = await Promise.all([listWorkflowStatuses(db, w.team.id), dayFactsTimezone(db, w.team.id)]);
  const limited = statuses.filter((s) => s.category === "in_progress" && s.wipLimit !== null);
  const hasLimits = w.team.wipLimit !== null || limited.length > 0;
  const limitedNames = limited.map((s) => s.name);
  const split = splitAtAsOfDay(w, factsZone);
  // Days before as_of's: running sums of the day-level facts. That day and later: the
  // transitions that last into it (few), by the same definition.
  const [factDeltas, factStatus, liveDeltas, liveStatus] = await Promise.all([
    split.factsTo ? sumWipFacts(db, q, split.factsTo) : Promise.resolve([]),
    split.factsTo && hasLimits && limitedNames.length > 0 ? sumStatusFacts(db, q, split.factsTo, "any_instant", limitedNames) : Promise.resolve([]),
    split.liveFrom ? listWipDeltas(db, { ...q, from: split.liveFrom }) : Promise.resolve([]),
    split.liveFrom && hasLimits ? countStatusWipByDate(db, { ...q, from: split.liveFrom }, limitedNames) : Promise.resolve([]),
  ]);
  const total = new Map<LocalDate, number>();
  if (split.factsTo) for (const d of runningTotals(w.from, split.factsTo, factDeltas)) total.set(d.date, d.count);
  if (split.liveFrom) for (const d of runningTotals(split.liveFrom, w.to, liveDeltas)) total.set(d.date, d.count);
  const perStatus = new Map<string, Map<string, number>>();
  const setStatus = (date: LocalDate, status: string, wip: number) => {
    let m = perStatus.get(date);
    if (!m) perStatus.set(date, (m = new Map()));
    m.set(status, wip);
  };
  if (split.factsTo) {
    for (const [status, daily] of runningTotalsByStatus(w.from, split.factsTo, factStatus)) for (const d of daily) setStatus(d.date, status, d.count);
  }
  for (const r of liveStatus) setStatus(r.date, r.status, r.wip);
  const daily = fillDaily(w.from, w.to, total).map(({ date, count }): WipDay => {
    if (!hasLimits) return { date, wip: count };
    const by_status = Object.fromEntries(limited.map((s) => [s.name, perStatus.get(date)?.get(s.name) ?? 0]));
    const over_limit =
      (w.team.wipLimit !== null && count > w.team.wipLimit) || limited.some((s) => (by_status[s.name] ?? 0) > s.wipLimit!);
    return { date, wip: count, by_status, over_limit };
  });
  if (!hasLimits) return { daily };
  return { daily, limits: { team: w.team.wipLimit, statuses: Object.fromEntries(limited.map((s) => [s.name, s.wipLimit!])) } };
}

/**
 * Where a window's days come from. factsTo: the last day read from the day-level facts (the day
 * before as_of's, or the window's end), null when none is; liveFrom: the first day computed from
 * transitions (as_of's day, or the window's start), null when none is. Without facts built in
 * the team's zone, every day is computed from transitions.
 */
function splitAtAsOfDay(w: MetricWindow, factsZone: string | null): { factsTo: LocalDate | null; liveFrom: LocalDate | null } {
  if (factsZone !== w.team.timezone) return { factsTo: null, liveFrom: w.from };
  const asOfDay = localDate(w.asOf, w.team.timezone);
  const beforeAsOf = addDays(asOfDay, -1);
  const factsTo = beforeAsOf < w.to ? beforeAsOf : w.to;
  return { factsTo: factsTo >= w.from ? factsTo : null, liveFrom: asOfDay <= w.to ? (asOfDay > w.from ? asOfDay : w.from) : null };
}

function runningTotalsByStatus(from: LocalDate, to: LocalDate, deltas: readonly { status: string; date: LocalDate; delta: number }[]) {
  const byStatus = new Map<string, { day: number; delta: number }[]>();
  for (const d of deltas) {
    const list = byStatus.get(d.status) ?? [];
    list.push({ day: daysBetween(from, d.date), delta: d.delta });
    byStatus.set(d.status, list);
  }
  return [...byStatus].map(([status, list]) => [status, runningTotals(from, to, list)] as const);
}

export async function getCfd(db: Db, w: MetricWindow): Promise<CfdResult> {
  const [statuses, factsZone] = await Promise.all([listWorkflowStatuses(db, w.team.id), dayFactsTimezone(db, w.team.id)]);
  const deltas = factsZone === w.team.timezone ? await cfdDeltasFromFacts(db, w) : await listFlowDeltas(db, flowQuery(w));
  return { statuses: statuses.map((s) => s.name), daily: accumulateFlow(w.from, w.to, statuses, deltas) };
}

/**
 * The end-of-day state per status from the day-level facts up to the day before as_of's, then
 * the state at as_of (those facts plus the changes of as_of's day up to as_of), which the
 * cumulative flow carries to the window's end. Days before the window land on its first date.
 */
async function cfdDeltasFromFacts(db: Db, w: MetricWindow) {
  const q = flowQuery(w);
  const asOfDay = localDate(w.asOf, w.team.timezone);
  const beforeAsOf = addDays(asOfDay, -1);
  const [facts, changes] = await Promise.all([
    sumStatusFacts(db, q, beforeAsOf < w.to ? beforeAsOf : w.to, "end_of_day"),
    asOfDay <= w.to ? listStateChangesOnAsOfDay(db, q, asOfDay) : Promise.resolve([]),
  ]);
  const changeDate = asOfDay > w.from ? asOfDay : w.from;
  return [...facts, ...changes.map((c) => ({ status: c.status, date: changeDate, delta: c.delta }))];
}

export async function getAging(db: Db, w: MetricWindow): Promise<AgingResult> {
  const asOfDate = localDate(w.asOf, w.team.timezone);
  const reference = { ...w, from: addDays(asOfDate, -(AGING_REFERENCE_DAYS - 1)), to: asOfDate };
  const [aging, referenceDays] = await Promise.all([listAgingItems(db, flowQuery(w)), listCycleTimeDays(db, flowQuery(reference))]);
  const percentiles = computePercentiles(referenceDays);
  return {
    items: aging.map((r) => ({
      key: r.key,
      status: r.status,
      started_at: formatEpochMs(r.started_ms),
      age_days: r.age_days,
      age_hours: roundHours(w.asOf.getTime() - r.started_ms),
      exceeds: highestExceeded(r.age_days, percentiles),
      ...(w.details ? { title: r.title, type: r.type } : {}),
    })),
  };
}

/**
 * Each item's blocked time at as_of: from its blocked facts when it has not changed since (the
 * import keeps them), else from its spans. Keys ascending in code-unit order.
 */
async function blockedTimes(db: Db, w: MetricWindow): Promise<{ key: string; title?: string; time: BlockedTime }[]> {
  const q = flowQuery(w);
  const fromSpans = (blocked: Awaited<ReturnType<typeof listBlockedItems>>) =>
    blocked.map((c) => ({
      key: c.key,
      title: c.title,
      // The item's state at as_of is started (not todo); its finish counts only once done.
      time: computeBlockedTime({ asOf: w.asOf, startedAt: c.started_at, finishedAt: c.category === "done" ? c.finished_at : null, spans: c.spans }),
    }));
  // A database migrated from before the facts computes every item from its spans until they are built.
  if (!(await blockedFactsBuilt(db, w.team.id))) return fromSpans(await listBlockedItems(db, q, w.details));
  const [facts, changed] = await Promise.all([
    listBlockedFacts(db, q, w.details),
    listItemsChangedAfter(db, q).then((ids) => listBlockedItems(db, q, w.details, ids)),
  ]);
  const times = [...facts.map((f) => ({ key: f.key, title: f.title, time: blockedTimeFromFacts(f.facts, w.asOf) })), ...fromSpans(changed)];
  return times.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export async function getBlockers(db: Db, w: MetricWindow): Promise<BlockersResult> {
  const blocked = await blockedTimes(db, w);
  const result: BlockersResult = { open: [], items: [] };
  const openWithAge: { ageMs: number; entry: BlockersResult["open"][number] }[] = [];
  const byReason = new Map<string, number>();
  for (const c of blocked) {
    const time = c.time;
    if (time.blockedMs > 0) result.items.push({ key: c.key, blocked_hours: roundHours(time.blockedMs) });
    for (const [reason, ms] of time.byReasonMs) byReason.set(reason, (byReason.get(reason) ?? 0) + ms);
    if (time.open) {
      const ageMs = w.asOf.getTime() - time.open.since.getTime();
      openWithAge.push({
        ageMs,
        entry: {
          key: c.key,
          blocked_since: formatInstant(time.open.since),
          age_days: daysBetween(localDate(time.open.since, w.team.timezone), localDate(w.asOf, w.team.timezone)) + 1,
          age_hours: roundHours(ageMs),
          reasons: time.open.reasons,
          ...(w.details ? { title: c.title ?? "" } : {}),
        },
      });
    }
  }
  // Oldest blocker first: the one most in need of attention.
  openWithAge.sort((a, b) => b.ageMs - a.ageMs || a.entry.key.localeCompare(b.entry.key));
  result.open = openWithAge.map((o) => o.entry);
  if (w.details) {
    result.by_reason = [...byReason]
      .map(([reason, ms]) => ({ reason, hours: roundHours(ms) }))
      .filter((r) => r.hours > 0)
      .sort((a, b) => b.hours - a.hours || a.reason.localeCompare(b.reason));
  }
  return result;
}

export async function getQuality(db: Db, w: MetricWindow): Promise<QualityResult> {
  const report = await getQualityReport(db, flowQuery(w));
  // Keys ascending in code-unit order, whatever the database's collation.
  const checks = QUALITY_CHECKS.map((check) => {
    const items = [...(report.failing[check] ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { check, count: items.length, items };
  });
  const result: QualityResult = { items_checked: report.items_checked, checks };
  if (w.details) {
    const keys = [...new Set(checks.flatMap((c) => c.items))];
    result.titles = Object.fromEntries((await listItemTitles(db, w.team.id, keys)).map((r) => [r.key, r.title]));
  }
  return result;
}
