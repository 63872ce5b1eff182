// Where a team's annotations sit on a chart's time axis, and what hovering one says. Pure.
// Relative imports: the unit tests load this file without the @/ alias.
import { addDays, startOfLocalDate, type LocalDate } from "../../lib/time/calendar";

/** What a chart needs of an annotation (lib/services/annotations.ts's Annotation fits). */
export interface MarkSource {
  id: number;
  starts_on: LocalDate;
  ends_on: LocalDate | null;
  label: string;
  note: string | null;
  author: string | null;
  created_at: string;
  updated_at?: string;
  /** A page the mark links to (a decision's); annotations have none. */
  href?: string;
}

/** An annotation on an axis of periods: the indexes of its first and last period on the chart. */
export interface PlacedMark {
  id: number;
  label: string;
  title: string;
  href?: string;
  first: number;
  last: number;
}

/** An annotation on a time axis in epoch milliseconds; x2 null: one day, drawn as a line. */
export interface TimedMark {
  id: number;
  label: string;
  title: string;
  href?: string;
  x1: number;
  x2: number | null;
}

/** "2026-03-10" or "2026-03-10 to 2026-03-14". */
export function annotationDates(a: Pick<MarkSource, "starts_on" | "ends_on">): string {
  return a.ends_on ? `${a.starts_on} to ${a.ends_on}` : a.starts_on;
}

/** An instant from the API (ISO 8601 in UTC) as a reader writes it: "2026-03-12 10:00 UTC". */
export function shortInstant(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** Who wrote it and when: "by Ada, 2026-03-12 10:00 UTC (edited …)". */
export function annotationByline(a: Pick<MarkSource, "author" | "created_at" | "updated_at">): string {
  const edited = a.updated_at && a.updated_at !== a.created_at ? ` (edited ${shortInstant(a.updated_at)})` : "";
  return `by ${a.author ?? "a removed account"}, ${shortInstant(a.created_at)}${edited}`;
}

/** The hover text of a marker: label, dates, note, author and time. */
export function annotationTitle(a: MarkSource): string {
  return `${a.label} (${annotationDates(a)})${a.note ? `: ${a.note}` : ""} — ${annotationByline(a)}`;
}

/** An annotation already in a chart's periods: from the period of its first day to that of its last. */
export interface PeriodSpan {
  id: number;
  label: string;
  title: string;
  href?: string;
  start: string;
  end: string;
}

/** Spans on an ascending list of periods: cut to the periods shown; one wholly outside is left out. */
export function placeSpans(spans: readonly PeriodSpan[], periods: readonly string[]): PlacedMark[] {
  const out: PlacedMark[] = [];
  for (const s of spans) {
    const first = periods.findIndex((p) => p >= s.start);
    let last = -1;
    for (let i = periods.length - 1; i >= 0; i--) {
      if (periods[i]! <= s.end) {
        last = i;
        break;
      }
    }
    if (first === -1 || last === -1 || first > last) continue;
    out.push({ id: s.id, label: s.label, title: s.title, ...(s.href ? { href: s.href } : {}), first, last });
  }
  return out;
}

/** Annotations as spans of periods (dates, ISO weeks or months, as `periodOf` maps a date). */
export function periodSpans(annotations: readonly MarkSource[], periodOf: (date: LocalDate) => string = (d) => d): PeriodSpan[] {
  return annotations.map((a) => ({
    id: a.id,
    label: a.label,
    title: annotationTitle(a),
    ...(a.href ? { href: a.href } : {}),
    start: periodOf(a.starts_on),
    end: periodOf(a.ends_on ?? a.starts_on),
  }));
}

/** Annotations on an ascending list of period labels. */
export function placeMarks(annotations: readonly MarkSource[], periods: readonly string[], periodOf?: (date: LocalDate) => string): PlacedMark[] {
  return placeSpans(periodSpans(annotations, periodOf), periods);
}

/**
 * Annotations on a time axis covering the dates [from, to] in a timezone: a day is a line at its
 * middle, a range an area from the start of its first day to the end of its last, cut to the window.
 */
export function timeMarks(annotations: readonly MarkSource[], window: { from: LocalDate; to: LocalDate }, timeZone: string): TimedMark[] {
  const out: TimedMark[] = [];
  for (const a of annotations) {
    const start = a.starts_on < window.from ? window.from : a.starts_on;
    const end = (a.ends_on ?? a.starts_on) > window.to ? window.to : (a.ends_on ?? a.starts_on);
    if (start > end) continue;
    const x1 = startOfLocalDate(start, timeZone).getTime();
    const x2 = startOfLocalDate(addDays(end, 1), timeZone).getTime();
    const base = { id: a.id, label: a.label, title: annotationTitle(a), ...(a.href ? { href: a.href } : {}) };
    out.push(a.ends_on === null ? { ...base, x1: Math.round((x1 + x2) / 2), x2: null } : { ...base, x1, x2 });
  }
  return out;
}

/** The epoch-millisecond span of the dates [from, to] in a timezone, for a time axis's domain. */
export function windowSpan(window: { from: LocalDate; to: LocalDate }, timeZone: string): [number, number] {
  return [startOfLocalDate(window.from, timeZone).getTime(), startOfLocalDate(addDays(window.to, 1), timeZone).getTime()];
}
