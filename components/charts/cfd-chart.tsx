"use client";

import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisProps, categoryPalette, chartColors } from "./theme";

interface Props {
  statuses: { name: string; category: string }[];
  daily: { date: string; by_status: Record<string, number> }[];
}

/** Items per status at the end of each day, stacked in workflow order with done at the bottom. */
export function CfdChart({ statuses, daily }: Props) {
  const data = daily.map((d) => ({ date: d.date, ...d.by_status }));
  const used: Record<string, number> = {};
  const colorOf = (category: string) => {
    const palette = categoryPalette[category] ?? [chartColors.muted];
    const i = used[category] ?? 0;
    used[category] = i + 1;
    return palette[i % palette.length]!;
  };
  const colored = statuses.map((s) => ({ ...s, color: colorOf(s.category) }));
  // Recharts stacks in render order from the bottom: the last workflow status goes first.
  const bottomUp = [...colored].reverse();
  return (
    <ResponsiveContainer width="100%" height={320}>
      <AreaChart data={data} margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} minTickGap={16} {...axisProps} />
        <YAxis allowDecimals={false} width={48} {...axisProps} />
        <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {bottomUp.map((s) => (
          <Area key={s.name} type="stepAfter" dataKey={s.name} stackId="flow" stroke={s.color} fill={s.color} fillOpacity={0.85} isAnimationActive={false} />
        ))}
      </AreaChart>
    </ResponsiveContainer>
  );
}
