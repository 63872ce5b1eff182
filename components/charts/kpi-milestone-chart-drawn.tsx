"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { placeSpans } from "./annotation-marks";
import { annotationMarkers, onCategories } from "./annotation-markers";
import type { KpiMilestoneChartProps } from "./kpi-milestone-chart";
import { axisProps, chartColors } from "./theme";

type Row = { period: string; value: number | null; items: number | null } & Partial<Record<`trend${number}`, number>>;

const trendColors = ["var(--p50)", "var(--p95)", "var(--todo-3)"];

/** The interactive KPI chart (components/charts/kpi-milestone-chart.tsx loads it when needed). */
export default function KpiMilestoneChartDrawn({ series, markers, unit, overlay, trends = [], annotations = [] }: KpiMilestoneChartProps) {
  const rows = new Map<string, Row>();
  for (const s of series) rows.set(s.period, { period: s.period, value: s.value, items: null });
  for (const o of overlay ?? []) {
    const row = rows.get(o.period);
    if (row) row.items = o.value;
  }
  // A projection is drawn only where the KPI has periods to compare it with, not into the future.
  const firstPeriod = series[0]?.period;
  const lastPeriod = series[series.length - 1]?.period;
  const drawn = trends.map((t, i) => {
    let n = 0;
    for (const p of t.points) {
      if (firstPeriod === undefined || lastPeriod === undefined || p.period < firstPeriod || p.period > lastPeriod) continue;
      const row = rows.get(p.period) ?? { period: p.period, value: null, items: null };
      row[`trend${i}`] = p.value;
      rows.set(p.period, row);
      n++;
    }
    return n;
  });
  // Markers and bands beyond the data still need their place on the axis.
  for (const p of markers.flatMap((m) => [m.shipped, m.due, m.band?.from, m.band?.to])) {
    if (p && !rows.has(p)) rows.set(p, { period: p, value: null, items: null });
  }
  const data = [...rows.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
  const notes = onCategories(
    placeSpans(
      annotations,
      data.map((r) => r.period),
    ),
    (i) => data[i]?.period,
  );
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
        {annotationMarkers(notes, { yAxisId: "kpi" })}
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
        {trends.map((t, i) => (
          <Line
            key={`trend-${t.key}`}
            yAxisId="kpi"
            type="linear"
            dataKey={`trend${i}`}
            name={`trend before ${t.name}`}
            stroke={trendColors[i % trendColors.length]}
            strokeDasharray="6 4"
            strokeWidth={1.5}
            // A window shorter than a period leaves one point, which a line alone would not show.
            dot={drawn[i] === 1 ? { r: 3 } : false}
            legendType="plainline"
            className="trend-line"
            isAnimationActive={false}
          />
        ))}
        {trends.length > 0 ? <Legend verticalAlign="bottom" wrapperStyle={{ fontSize: 12 }} /> : null}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
