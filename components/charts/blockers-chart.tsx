"use client";

import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";

export interface BlockersChartProps {
  bars: { key: string; days: number; reasons: string }[];
  onSelect?: (key: string) => void;
}

const Drawn = lazyChart(() => import("./blockers-chart-drawn"));

/** Open blockers, oldest first: one bar per blocked item. */
export function BlockersChart(props: BlockersChartProps) {
  const { bars } = props;
  return <Drawn {...props} picture={<StaticChart label="Days blocked per open blocker" height={Math.max(160, bars.length * 28 + 40)} x={{ labels: bars.map((b) => b.key) }} bars={bars.map((b) => b.days)} />} />;
}
