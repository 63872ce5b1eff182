"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BlockersChartProps } from "./blockers-chart";
import { axisProps, chartColors } from "./theme";

/** The interactive blockers chart (components/charts/blockers-chart.tsx loads it when needed). */
export default function BlockersChartDrawn({ bars, onSelect }: BlockersChartProps) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, bars.length * 28 + 40)}>
      <BarChart data={bars} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={chartColors.grid} horizontal={false} />
        <XAxis type="number" unit=" d" allowDecimals={false} {...axisProps} />
        <YAxis type="category" dataKey="key" width={80} {...axisProps} />
        <Tooltip
          contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }}
          formatter={(v: unknown, _n: unknown, item: { payload?: { reasons?: string } }) => [`${String(v)} days — ${item.payload?.reasons || "no reason given"}`, "Blocked"]}
        />
        <Bar
          dataKey="days"
          name="Blocked for"
          fill={chartColors.warn}
          isAnimationActive={false}
          onClick={(d: unknown) => {
            const key = (d as { payload?: { key?: string } }).payload?.key;
            if (key) onSelect?.(key);
          }}
          style={{ cursor: onSelect ? "pointer" : undefined }}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
