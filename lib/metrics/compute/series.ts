// Shapes daily aggregates (already counted in SQL) into the spec's output series. Pure.
import { eachDate, isoWeek, type LocalDate } from "../../time/calendar";
import { STATUS_CATEGORIES, type StatusCategory } from "./workflow";

export interface DailyCount {
  date: LocalDate;
  count: number;
}

/** Every date of the window, zeros included. */
export function fillDaily(from: LocalDate, to: LocalDate, counts: ReadonlyMap<LocalDate, number>): DailyCount[] {
  return eachDate(from, to).map((date) => ({ date, count: counts.get(date) ?? 0 }));
}

/** ISO weeks of the window; a week cut by the window counts only its days inside it. */
export function weeklyFromDaily(daily: readonly DailyCount[]): { week: string; count: number }[] {
  const weeks: { week: string; count: number }[] = [];
  for (const { date, count } of daily) {
    const week = isoWeek(date);
    const last = weeks[weeks.length - 1];
    if (last && last.week === week) last.count += count;
    else weeks.push({ week, count });
  }
  return weeks;
}

/** Running totals over the window from +/− steps keyed by days since its first date. */
export function runningTotals(from: LocalDate, to: LocalDate, deltas: readonly { day: number; delta: number }[]): DailyCount[] {
  const byDay = new Map<number, number>();
  for (const d of deltas) byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.delta);
  let running = 0;
  return eachDate(from, to).map((date, day) => {
    running += byDay.get(day) ?? 0;
    return { date, count: running };
  });
}

export interface FlowDelta {
  status: string;
  date: LocalDate;
  delta: number;
}

export interface CumulativeFlowDay {
  date: LocalDate;
  by_status: Record<string, number>;
  by_category: Record<StatusCategory, number>;
}

/** Running totals per status from the days on which items entered (+1) or left (−1) it. */
export function accumulateFlow(
  from: LocalDate,
  to: LocalDate,
  statuses: readonly { name: string; category: StatusCategory }[],
  deltas: readonly FlowDelta[],
): CumulativeFlowDay[] {
  const byDate = new Map<LocalDate, FlowDelta[]>();
  for (const d of deltas) {
    const list = byDate.get(d.date);
    if (list) list.push(d);
    else byDate.set(d.date, [d]);
  }
  const running = new Map(statuses.map((s) => [s.name, 0]));
  return eachDate(from, to).map((date) => {
    for (const d of byDate.get(date) ?? []) running.set(d.status, (running.get(d.status) ?? 0) + d.delta);
    const by_status: Record<string, number> = {};
    const by_category = Object.fromEntries(STATUS_CATEGORIES.map((c) => [c, 0])) as Record<StatusCategory, number>;
    for (const s of statuses) {
      const n = running.get(s.name) ?? 0;
      by_status[s.name] = n;
      by_category[s.category] += n;
    }
    return { date, by_status, by_category };
  });
}

export function roundHours(ms: number): number {
  // Hundredths of an hour are 36 s: dividing whole milliseconds by 36,000 avoids 1.005 → 1.00.
  return Math.round(ms / 36_000) / 100;
}
