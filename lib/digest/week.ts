// The digest's weeks: Monday–Sunday in a timezone, named by their Monday. Pure (zone and clock passed in).
import { addDays, isLocalDate, isoWeek, localDate, startOfLocalDate, zonedTimeToInstant, type LocalDate } from "../time/calendar";

/** How many weeks before the digested one it is compared with. */
export const PREVIOUS_WEEKS = 4;

export interface DigestWeek {
  /** Monday and Sunday of the week, dates in the team's timezone. */
  from: LocalDate;
  to: LocalDate;
  /** ISO week label, YYYY-Www. */
  label: string;
  /** The first day of the four weeks it is compared with. */
  previousFrom: LocalDate;
  /**
   * The instant its numbers are taken at: the last second of its Sunday (so as_of's date is the
   * Sunday and "aging", "stalled" and the forecast read the week's end), or now while it runs.
   */
  asOf: Date;
  /** True while the week is not over: its numbers are "so far". */
  partial: boolean;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

export function isMonday(value: string): boolean {
  return isLocalDate(value) && weekdayOf(value) === 1;
}

/** The last complete week before `now` in a zone: what a digest asked for without a week reads. */
export function lastCompleteWeek(now: Date, timeZone: string): LocalDate {
  return addDays(mondayOf(localDate(now, timeZone)), -7);
}

/** Week `monday` read in a team's timezone, as of its end or `now`, whichever is first. Null: not begun. */
export function digestWeek(monday: LocalDate, timeZone: string, now: Date): DigestWeek | null {
  const start = startOfLocalDate(monday, timeZone);
  if (now.getTime() < start.getTime()) return null;
  const end = new Date(startOfLocalDate(addDays(monday, 7), timeZone).getTime() - 1000);
  const partial = now.getTime() < end.getTime();
  return { from: monday, to: addDays(monday, 6), label: isoWeek(monday), previousFrom: addDays(monday, -7 * PREVIOUS_WEEKS), asOf: partial ? now : end, partial };
}

/**
 * The week a subscription delivers at `now`: its weekday and hour (in its timezone) of the current
 * week have come, and it then sends the week before (complete, the same whenever it is sent).
 * Null: not yet this week, or the moment came before the subscription existed.
 */
export function dueWeek(sub: { weekday: number; hour: number; timezone: string; createdAt: Date }, now: Date): LocalDate | null {
  const monday = mondayOf(localDate(now, sub.timezone));
  const due = zonedTimeToInstant(addDays(monday, sub.weekday - 1), { hour: sub.hour, minute: 0, second: 0 }, sub.timezone);
  if (now.getTime() < due.getTime() || due.getTime() < sub.createdAt.getTime()) return null;
  return addDays(monday, -7);
}
