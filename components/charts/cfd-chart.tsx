"use client";

import type { PlacedMark } from "./annotation-marks";
import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";
import { categoryPalette, chartColors } from "./theme";

export interface CfdChartProps {
  /** In workflow order; each row holds one value per band, in the same order. */
  bands: { name: string; category: string }[];
  rows: { date: string; values: number[] }[];
  /** The day whose items are listed, marked on the chart. */
  selected?: string | null;
  onSelectDate?: (date: string) => void;
  /** The team's annotations, placed on `rows`. */
  annotations?: readonly PlacedMark[];
}

/** The bands with their colours, bottom first: Recharts stacks in render order, so the last workflow status goes first. */
export function bandsBottomUp(bands: CfdChartProps["bands"]) {
  const used: Record<string, number> = {};
  const colorOf = (category: string) => {
    const palette = categoryPalette[category] ?? [chartColors.muted];
    const i = used[category] ?? 0;
    used[category] = i + 1;
    return palette[i % palette.length]!;
  };
  return bands.map((b, index) => ({ ...b, index, color: colorOf(b.category) })).reverse();
}

const Drawn = lazyChart(() => import("./cfd-chart-drawn"));

/** Items per band at the end of each day, stacked in workflow order with done at the bottom. */
export function CfdChart(props: CfdChartProps) {
  const { bands, rows } = props;
  const bottomUp = bandsBottomUp(bands);
  return <Drawn {...props} picture={<StaticChart label="Cumulative flow" height={320} x={{ labels: rows.map((r) => r.date.slice(5)) }} areas={bottomUp.map((b) => ({ color: b.color, values: rows.map((r) => r.values[b.index] ?? 0) }))} />} />;
}
