"use client";

import type { PlacedMark } from "./annotation-marks";
import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";

export interface WipChartProps {
  daily: { date: string; wip: number; over_limit?: boolean }[];
  limit: number | null;
  /** The day whose items are listed, marked on the chart. */
  selected?: string | null;
  onSelectDate?: (date: string) => void;
  /** The team's annotations, placed on `daily`. */
  annotations?: readonly PlacedMark[];
}

const Drawn = lazyChart(() => import("./wip-chart-drawn"));

/** Work in progress per day against the team's limit; days over the limit are marked. */
export function WipChart(props: WipChartProps) {
  const { daily, limit } = props;
  return (
    <Drawn
      {...props}
      picture={
        <StaticChart
          label="Work in progress per day"
          height={260}
          x={{ labels: daily.map((d) => d.date.slice(5)) }}
          line={{ values: daily.map((d) => d.wip), step: true }}
          rules={limit !== null ? [{ value: limit, label: `WIP limit ${limit}` }] : []}
        />
      }
    />
  );
}
