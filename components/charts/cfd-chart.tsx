"use client";

import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PlacedMark } from "./annotation-marks";
import { annotationMarkers, onCategories } from "./annotation-markers";
import { clickedIndex } from "./chart-click";
import { StaticChart, useHydrated } from "./static-chart";
import { axisProps, categoryPalette, chartColors } from "./theme";

interface Props {
  /** In workflow order; each row holds one value per band, in the same order. */
  bands: { name: string; category: string }[];
  rows: { date: string; values: number[] }[];
  /** The day whose items are listed, marked on the chart. */
  selected?: string | null;
  onSelectDate?: (date: string) => void;
  /** The team's annotations, placed on `rows`. */
  annotations?: readonly PlacedMark[];
}

/** Items per band at the end of each day, stacked in workflow order with done at the bottom. */
export function CfdChart({ bands, rows, selected, onSelectDate, annotations = [] }: Props) {
  const used: Record<string, number> = {};
  const colorOf = (category: string) => {
    const palette = categoryPalette[category] ?? [chartColors.muted];
    const i = used[category] ?? 0;
    used[category] = i + 1;
    return palette[i % palette.length]!;
  };
  const colored = bands.map((b, index) => ({ ...b, index, color: colorOf(b.category) }));
  // Recharts stacks in render order from the bottom: the last workflow status goes first.
  const bottomUp = [...colored].reverse();
  if (!useHydrated()) {
    return <StaticChart label="Cumulative flow" height={320} x={{ labels: rows.map((r) => r.date.slice(5)) }} areas={bottomUp.map((b) => ({ color: b.color, values: rows.map((r) => r.values[b.index] ?? 0) }))} />;
  }
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
            dataKey={(r: Props["rows"][number]) => r.values[b.index]}
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
