// Chart colours come from CSS variables, so light and dark themes need no second palette.
export const chartColors = {
  accent: "var(--accent)",
  muted: "var(--muted)",
  grid: "var(--border)",
  warn: "var(--warn)",
  text: "var(--text)",
};

/** Percentile lines: the higher the percentile, the stronger the warning colour. */
export const percentileColors: Record<string, string> = {
  p50: "var(--p50)",
  p70: "var(--p70)",
  p85: "var(--p85)",
  p95: "var(--p95)",
};

export const categoryPalette: Record<string, string[]> = {
  todo: ["var(--todo-1)", "var(--todo-2)", "var(--todo-3)"],
  in_progress: ["var(--ip-1)", "var(--ip-2)", "var(--ip-3)", "var(--ip-4)"],
  done: ["var(--done-1)", "var(--done-2)", "var(--done-3)"],
};

export const axisProps = { stroke: chartColors.muted, tick: { fill: chartColors.muted, fontSize: 12 } } as const;

export function shortDate(ms: number): string {
  return new Date(ms).toISOString().slice(5, 10);
}
