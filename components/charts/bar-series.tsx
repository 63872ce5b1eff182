"use client";

import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PlacedMark } from "./annotation-marks";
import { annotationMarkers, onCategories } from "./annotation-markers";
import { StaticChart, useHydrated } from "./static-chart";
import { axisProps, chartColors, percentileColors } from "./theme";

interface Props {
  data: { label: string; value: number }[];
  valueName: string;
  /** Vertical marker lines at category labels (e.g. percentiles on a histogram). */
  markers?: { label: string; at: string; color?: string }[];
  height?: number;
  /** A click on a bar gives its index in `data`. */
  onSelect?: (index: number) => void;
  /** Annotations placed on the bars (indexes into `data`). */
  annotations?: readonly PlacedMark[];
}

/** A plain bar chart: histograms and throughput. */
export function BarSeries({ data, valueName, markers = [], height = 260, onSelect, annotations = [] }: Props) {
  if (!useHydrated()) return <StaticChart label={valueName} height={height} x={{ labels: data.map((d) => d.label) }} bars={data.map((d) => d.value)} />;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="label" {...axisProps} minTickGap={12} />
        <YAxis allowDecimals={false} width={40} {...axisProps} />
        <Tooltip cursor={{ fill: "var(--hover)" }} contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
        {markers.map((m) => (
          <ReferenceLine key={m.label} x={m.at} stroke={m.color ?? percentileColors.p85} strokeDasharray="6 4" label={{ value: m.label, position: "top", fill: m.color ?? chartColors.muted, fontSize: 11 }} />
        ))}
        {annotationMarkers(onCategories(annotations, (i) => data[i]?.label))}
        <Bar
          dataKey="value"
          name={valueName}
          fill={chartColors.accent}
          isAnimationActive={false}
          // The bar itself, not the chart: the chart's pointer index lags a frame behind the mouse.
          onClick={(bar, index) => onSelect?.(bar.originalDataIndex ?? index)}
          style={{ cursor: onSelect ? "pointer" : undefined }}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
