"use client";

import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { annotationMarkers, onCategories } from "./annotation-markers";
import { bandsBottomUp, type CfdChartProps } from "./cfd-chart";
import { clickedIndex } from "./chart-click";
import { axisProps, chartColors } from "./theme";

/** The interactive cumulative flow (components/charts/cfd-chart.tsx loads it when needed). */
export default function CfdChartDrawn({ bands, rows, selected, onSelectDate, annotations = [] }: CfdChartProps) {
  const bottomUp = bandsBottomUp(bands);
  return (
    <ResponsiveContainer width="100%" height={320}>
      <AreaChart
        data={rows}
        margin={{ top: 16, right: 16, bottom: 8, left: 0 }}
        onClick={(state) => {
          const i = clickedIndex(state);
          if (i !== null && rows[i]) onSelectDate?.(rows[i].date);
        }}
        style={{ cursor: onSelectDate ? "pointer" : undefined }}
      >
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} minTickGap={16} {...axisProps} />
        <YAxis allowDecimals={false} width={48} {...axisProps} />
        <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {bottomUp.map((b) => (
          // Values by position: the rebased done band is no status, and a status may be called "date".
          <Area
            key={b.name}
            type="stepAfter"
            dataKey={(r: CfdChartProps["rows"][number]) => r.values[b.index]}
            name={b.name}
            stackId="flow"
            stroke={b.color}
            fill={b.color}
            fillOpacity={0.85}
            isAnimationActive={false}
          />
        ))}
        {annotationMarkers(onCategories(annotations, (i) => rows[i]?.date))}
        {selected ? <ReferenceLine x={selected} stroke={chartColors.text} strokeOpacity={0.5} className="selected-day" /> : null}
      </AreaChart>
    </ResponsiveContainer>
  );
}
