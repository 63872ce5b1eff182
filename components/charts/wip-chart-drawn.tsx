"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { annotationMarkers, onCategories } from "./annotation-markers";
import { clickedIndex } from "./chart-click";
import { axisProps, chartColors } from "./theme";
import type { WipChartProps } from "./wip-chart";

/** The interactive WIP chart (components/charts/wip-chart.tsx loads it when needed). */
export default function WipChartDrawn({ daily, limit, selected, onSelectDate, annotations = [] }: WipChartProps) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart
        data={daily}
        margin={{ top: 16, right: 16, bottom: 8, left: 0 }}
        onClick={(state) => {
          const i = clickedIndex(state);
          if (i !== null && daily[i]) onSelectDate?.(daily[i].date);
        }}
        style={{ cursor: onSelectDate ? "pointer" : undefined }}
      >
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} minTickGap={16} {...axisProps} />
        <YAxis allowDecimals={false} width={40} {...axisProps} />
        <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
        {limit !== null ? (
          <ReferenceLine y={limit} stroke={chartColors.warn} strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: `WIP limit ${limit}`, position: "insideTopRight", fill: chartColors.warn, fontSize: 11 }} />
        ) : null}
        {annotationMarkers(onCategories(annotations, (i) => daily[i]?.date))}
        {selected ? <ReferenceLine x={selected} stroke={chartColors.text} strokeOpacity={0.5} className="selected-day" /> : null}
        <Line
          type="stepAfter"
          dataKey="wip"
          name="WIP"
          stroke={chartColors.accent}
          isAnimationActive={false}
          dot={(p: { cx?: number; cy?: number; index?: number; payload?: { over_limit?: boolean } }) =>
            p.payload?.over_limit ? <circle key={p.index} cx={p.cx} cy={p.cy} r={3.5} fill={chartColors.warn} className="over-limit-dot" /> : <g key={p.index} />
          }
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
