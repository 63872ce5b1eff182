// Instants as people read them, in a team's timezone ("Tue 3 Mar 2026 10:14"). Pure: the zone is a
// parameter; machine-readable output stays ISO 8601 (calendar.ts formatInstant).

// ICU 72+ writes the en-GB short September as "Sept": fixed names keep the text the same on every Node.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "numeric",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date and time of an instant in an IANA zone, e.g. "Tue 3 Mar 2026 10:14". */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const parts = formatter(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("weekday")} ${Number(get("day"))} ${MONTHS[Number(get("month")) - 1]} ${get("year")} ${get("hour")}:${get("minute")}`;
}

/** How long ago, in the largest whole unit: "just now", "12 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000));
  const say = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return say(Math.floor(seconds / 60), "minute");
  if (seconds < 86_400) return say(Math.floor(seconds / 3600), "hour");
  return say(Math.floor(seconds / 86_400), "day");
}

/** An instant for an admin's table, in UTC to the second: "2026-03-03 10:14:05Z"; "–" for none. */
export function formatUtcSecond(instant: Date | null): string {
  return instant ? instant.toISOString().replace(/\.\d{3}Z$/, "Z").replace("T", " ") : "–";
}

/** How long a run took, to a tenth of a second ("4.2 s"); "–" while it runs. */
export function formatRunDuration(startedAt: Date, finishedAt: Date | null): string {
  return finishedAt ? `${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s` : "–";
}
