"use client";

import { CartesianGrid, Cell, ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Percentiles } from "@/lib/metrics/compute/percentiles";
import { STALLED_NOTE } from "@/lib/views/aging-view";
import { dotLabel, type AgingChartProps, type AgingPoint } from "./aging-chart";
import { axisProps, chartColors } from "./theme";

const BANDS = [
  { from: 0, to: "p50", fill: "var(--band-1)" },
  { from: "p50", to: "p70", fill: "var(--band-2)" },
  { from: "p70", to: "p85", fill: "var(--band-3)" },
  { from: "p85", to: "p95", fill: "var(--band-4)" },
] as const;

/** The interactive aging chart (components/charts/aging-chart.tsx loads it when needed). */
export default function AgingChartDrawn({ points, columns, percentiles, onSelect }: AgingChartProps) {
  const value = (v: number | string) => (typeof v === "number" ? v : (percentiles[v as keyof Percentiles] ?? null));
  const maxAge = Math.max(1, ...points.map((p) => p.age), percentiles.p95 ?? 0);
  return (
    <ResponsiveContainer width="100%" height={320}>
      <ScatterChart margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        {BANDS.map((b) => {
          const y1 = value(b.from);
          const y2 = value(b.to);
          return y1 === null || y2 === null ? null : <ReferenceArea key={b.to} y1={y1} y2={y2} fill={b.fill} fillOpacity={1} ifOverflow="extendDomain" />;
        })}
        <XAxis
          type="number"
          dataKey="column"
          domain={[-0.5, columns.length - 0.5]}
          ticks={columns.map((_, i) => i)}
          tickFormatter={(i: number) => columns[i] ?? ""}
          interval={0}
          {...axisProps}
        />
        <YAxis type="number" dataKey="age" unit=" d" domain={[0, Math.ceil(maxAge * 1.1)]} allowDecimals={false} width={48} {...axisProps} />
        <Tooltip content={<AgingTooltip />} />
        <Scatter data={points} isAnimationActive={false} onClick={(d: unknown) => onSelect?.((d as { payload?: AgingPoint }).payload?.key ?? (d as AgingPoint).key)}>
          {points.map((p) => (
            <Cell
              key={p.key}
              fill={p.late ? chartColors.warn : chartColors.accent}
              className={`${p.late ? "aging-late" : "aging-ok"}${p.stalled ? " aging-stalled" : ""}`}
              {...(p.stalled ? { stroke: chartColors.text, strokeWidth: 2, "aria-label": dotLabel(p) } : {})}
            />
          ))}
        </Scatter>
      </ScatterChart>
    </ResponsiveContainer>
  );
}

function AgingTooltip(props: { active?: boolean; payload?: readonly { payload: AgingPoint }[] }) {
  const p = props.active ? props.payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="tooltip">
      <strong>{p.key}</strong> <span className="muted">· {p.status}</span>
      {p.title ? <div>{p.title}</div> : null}
      <div>
        {p.age} day{p.age === 1 ? "" : "s"} in progress{p.late ? " — older than 85% of finished items" : ""}
      </div>
      {p.stalled ? <div className="stalled-note">{STALLED_NOTE}</div> : null}
    </div>
  );
}
