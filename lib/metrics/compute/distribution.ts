// Shapes for charts, computed from what the API returns (pure; used by the dashboard cards).

export interface HistogramBin {
  days: number;
  count: number;
}

/** One bar per cycle time in days, from 1 to the longest, zeros included. */
export function cycleTimeHistogram(cycleTimeDays: readonly number[]): HistogramBin[] {
  if (cycleTimeDays.length === 0) return [];
  const max = Math.max(...cycleTimeDays);
  const counts = new Array<number>(max + 1).fill(0);
  for (const d of cycleTimeDays) counts[d]!++;
  return counts.slice(1).map((count, i) => ({ days: i + 1, count }));
}

export interface BlockedShare {
  /** Finished items of the window. */
  items: number;
  /** Of them, items that were blocked at some point. */
  blockedItems: number;
  /** Blocked hours of the finished items over their cycle-time hours, 0–1; null without items. */
  share: number | null;
}

/** Blocked share of finished items (spec: blocked_hours / cycle_time_hours), over the window's items. */
export function blockedShare(
  finished: readonly { key: string; cycle_time_hours: number }[],
  blocked: readonly { key: string; blocked_hours: number }[],
): BlockedShare {
  const hours = new Map(blocked.map((b) => [b.key, b.blocked_hours]));
  let blockedHours = 0;
  let cycleHours = 0;
  let blockedItems = 0;
  for (const item of finished) {
    const h = hours.get(item.key) ?? 0;
    if (h > 0) blockedItems++;
    blockedHours += h;
    cycleHours += item.cycle_time_hours;
  }
  return { items: finished.length, blockedItems, share: cycleHours > 0 ? blockedHours / cycleHours : null };
}
