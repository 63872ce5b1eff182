// What the aging card marks: the in-progress items that the data-quality check `stalled` lists for
// the same request (team, window, as_of, type), joined by key. Pure. The API keeps the spec's
// shapes; the mark exists only here, in the view.
import type { QualityResult } from "../metrics/load";
import { STALLED_AFTER_MS } from "../metrics/compute/quality";

const STALLED_HOURS = STALLED_AFTER_MS / 3_600_000;

/** What stalled means, in days: the check counts 5 × 24 hours, whatever the calendar does. */
export const STALLED_FOR = `no movement for ${STALLED_HOURS / 24} days`;
/** The legend entry of a stalled dot. */
export const STALLED_LEGEND = `stalled: ${STALLED_FOR}`;
/** What a stalled dot or badge says: the report holds no instant of the last move, only its absence. */
export const STALLED_NOTE = `stalled: no movement in ${STALLED_HOURS} hours`;

/** The keys the report lists under `stalled`; null without a report (a shared chart may not hold one). */
export function stalledKeys(quality: Pick<QualityResult, "checks"> | undefined): ReadonlySet<string> | null {
  if (!quality) return null;
  return new Set(quality.checks.find((c) => c.check === "stalled")?.items ?? []);
}

export type Marked<T> = T & { stalled: boolean };

/** Each aging item, marked stalled when the report lists it; none marked without a report. */
export function markStalled<T extends { key: string }>(items: readonly T[], stalled: ReadonlySet<string> | null): Marked<T>[] {
  return items.map((i) => ({ ...i, stalled: stalled?.has(i.key) ?? false }));
}

/** How many items of the list the mark is on; null when it is not known (no report). */
export function countStalled(items: readonly { stalled: boolean }[], stalled: ReadonlySet<string> | null): number | null {
  return stalled === null ? null : items.filter((i) => i.stalled).length;
}

/**
 * The list beside the chart, oldest first: the `limit` oldest, or, when asked, every stalled one
 * (a stalled item younger than the oldest dozen would otherwise never be listed).
 */
export function agingList<T extends { key: string; age_hours: number; stalled: boolean }>(items: readonly T[], onlyStalled: boolean, limit = 12): T[] {
  const oldest = [...items].sort((a, b) => b.age_hours - a.age_hours || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return onlyStalled ? oldest.filter((i) => i.stalled) : oldest.slice(0, limit);
}
