"use client";

import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { annotationMarkers, onCategories } from "./annotation-markers";
import type { BarSeriesProps } from "./bar-series";
import { axisProps, chartColors, percentileColors } from "./theme";

/** The interactive bar chart (components/charts/bar-series.tsx loads it when needed). */
export default function BarSeriesDrawn({ data, valueName, markers = [], height = 260, onSelect, annotations = [] }: BarSeriesProps) {
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
