"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisProps, chartColors } from "./theme";

export interface MilestoneMarker {
  key: string;
  name: string;
  /** Period label of the ship date on the x axis; null while open. */
  shipped: string | null;
  due: string | null;
  /** Forecast band (periods) for an open milestone: 50% to 95% of trials done. */
  band: { from: string; to: string } | null;
}

interface Props {
  series: { period: string; value: number }[];
  markers: MilestoneMarker[];
  unit: string | null;
}

/** A KPI over time with milestone ship dates (solid), due dates (dotted) and forecast bands. */
export function KpiMilestoneChart({ series, markers, unit }: Props) {
  // Markers and bands beyond the data still need their place on the axis.
  const periods = new Set(series.map((s) => s.period));
  const extra = markers.flatMap((m) => [m.shipped, m.due, m.band?.from, m.band?.to]).filter((p): p is string => !!p && !periods.has(p));
  const data = [...series, ...[...new Set(extra)].map((period) => ({ period, value: null as number | null }))].sort((a, b) => (a.period < b.period ? -1 : 1));
  return (
    <ResponsiveContainer width="100%" height={340}>
      <LineChart data={data} margin={{ top: 24, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="period" minTickGap={24} {...axisProps} />
        <YAxis width={72} tickFormatter={(v: number) => Intl.NumberFormat("en", { notation: "compact" }).format(v)} {...axisProps} />
        <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} formatter={(v: unknown) => [`${String(v)}${unit ? ` ${unit}` : ""}`, "Value"]} />
        {markers.map((m) =>
          m.band ? <ReferenceArea key={`band-${m.key}`} x1={m.band.from} x2={m.band.to} fill="var(--band-2)" fillOpacity={1} label={{ value: `${m.name}: forecast`, position: "insideTop", fontSize: 11, fill: chartColors.muted }} className="forecast-band" /> : null,
        )}
        {markers.map((m) =>
          m.due ? <ReferenceLine key={`due-${m.key}`} x={m.due} stroke={chartColors.muted} strokeDasharray="2 4" className="due-marker" /> : null,
        )}
        {markers.map((m) =>
          m.shipped ? (
            <ReferenceLine key={`ship-${m.key}`} x={m.shipped} stroke={chartColors.warn} strokeWidth={2} label={{ value: m.name, position: "top", fontSize: 11, fill: chartColors.warn }} className="ship-marker" />
          ) : null,
        )}
        <Line type="monotone" dataKey="value" stroke={chartColors.accent} dot={false} connectNulls isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
