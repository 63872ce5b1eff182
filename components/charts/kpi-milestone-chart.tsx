"use client";

import { Bar, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisProps, chartColors } from "./theme";

export interface MilestoneMarker {
  key: string;
  name: string;
  /** Period label of the ship date on the x axis; null while open. */
  shipped: string | null;
  due: string | null;
  /** Forecast band (periods) for an open milestone: 50% to 95% of trials done. */
  band: { from: string; to: string } | null;
  /** Shown on hover: what the milestone took. */
  detail?: string;
}

interface Props {
  series: { period: string; value: number }[];
  markers: MilestoneMarker[];
  unit: string | null;
  /** Finished milestone items per period, drawn as bars on a second axis. */
  overlay?: { period: string; value: number }[];
}

/** A KPI over time with milestone ship dates (solid), due dates (dotted) and forecast bands. */
export function KpiMilestoneChart({ series, markers, unit, overlay }: Props) {
  const rows = new Map<string, { period: string; value: number | null; items: number | null }>();
  for (const s of series) rows.set(s.period, { period: s.period, value: s.value, items: null });
  for (const o of overlay ?? []) {
    const row = rows.get(o.period);
    if (row) row.items = o.value;
  }
  // Markers and bands beyond the data still need their place on the axis.
  for (const p of markers.flatMap((m) => [m.shipped, m.due, m.band?.from, m.band?.to])) {
    if (p && !rows.has(p)) rows.set(p, { period: p, value: null, items: null });
  }
  const data = [...rows.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
  return (
    <ResponsiveContainer width="100%" height={340}>
      <ComposedChart data={data} margin={{ top: 24, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="period" minTickGap={24} {...axisProps} />
        <YAxis yAxisId="kpi" width={72} tickFormatter={(v: number) => Intl.NumberFormat("en", { notation: "compact" }).format(v)} {...axisProps} />
        {overlay ? <YAxis yAxisId="items" orientation="right" width={40} allowDecimals={false} {...axisProps} /> : null}
        <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
        {markers.map((m) =>
          m.band ? (
            <ReferenceArea key={`band-${m.key}`} yAxisId="kpi" x1={m.band.from} x2={m.band.to} fill="var(--band-2)" fillOpacity={1} label={{ value: `${m.name}: forecast`, position: "insideTop", fontSize: 11, fill: chartColors.muted }} className="forecast-band" />
          ) : null,
        )}
        {markers.map((m) => (m.due ? <ReferenceLine key={`due-${m.key}`} yAxisId="kpi" x={m.due} stroke={chartColors.muted} strokeDasharray="2 4" className="due-marker" /> : null))}
        {markers.map((m) =>
          m.shipped ? (
            <ReferenceLine
              key={`ship-${m.key}`}
              yAxisId="kpi"
              x={m.shipped}
              stroke={chartColors.warn}
              strokeWidth={2}
              className="ship-marker"
              label={(props: { viewBox?: { x?: number; y?: number } }) => (
                <text x={props.viewBox?.x ?? 0} y={(props.viewBox?.y ?? 0) - 6} textAnchor="middle" fontSize={11} fill={chartColors.warn} className="ship-label">
                  {/* A native tooltip: hovering the name tells what the milestone took. */}
                  <title>{`${m.name}${m.detail ? ` — ${m.detail}` : ""}`}</title>
                  {m.name}
                </text>
              )}
            />
          ) : null,
        )}
        {overlay ? <Bar yAxisId="items" dataKey="items" name="Milestone items finished" fill="var(--ip-1)" opacity={0.6} isAnimationActive={false} /> : null}
        <Line yAxisId="kpi" type="monotone" dataKey="value" name={unit ? `Value (${unit})` : "Value"} stroke={chartColors.accent} dot={false} connectNulls isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
