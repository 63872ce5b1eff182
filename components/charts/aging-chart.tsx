"use client";

import { CartesianGrid, Cell, ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Percentiles } from "@/lib/metrics/compute/percentiles";
// Relative, as in static-chart.tsx: the unit tests render the server picture without the "@/" alias.
import { STALLED_LEGEND, STALLED_NOTE } from "../../lib/views/aging-view";
import { StaticChart, useHydrated } from "./static-chart";
import { axisProps, chartColors } from "./theme";

export interface AgingPoint {
  column: number;
  age: number;
  key: string;
  title?: string;
  status: string;
  late: boolean;
  /** Listed by the data-quality check `stalled`: drawn with an outline. */
  stalled: boolean;
}

interface Props {
  points: AgingPoint[];
  columns: string[];
  percentiles: Percentiles;
  onSelect?: (key: string) => void;
}

const BANDS = [
  { from: 0, to: "p50", fill: "var(--band-1)" },
  { from: "p50", to: "p70", fill: "var(--band-2)" },
  { from: "p70", to: "p85", fill: "var(--band-3)" },
  { from: "p85", to: "p95", fill: "var(--band-4)" },
] as const;

/** Each in-progress item in its status column at its age, over the cycle-time percentile bands. */
export function AgingChart({ points, columns, percentiles, onSelect }: Props) {
  const value = (v: number | string) => (typeof v === "number" ? v : (percentiles[v as keyof Percentiles] ?? null));
  const maxAge = Math.max(1, ...points.map((p) => p.age), percentiles.p95 ?? 0);
  const stalled = points.filter((p) => p.stalled).length;
  const hydrated = useHydrated();
  // Until scripts run, the same picture as plain SVG (see static-chart.tsx), stalled outlines included.
  const picture = !hydrated ? (
    <StaticChart
      label={`Age of each item in progress, by status${stalled > 0 ? `; ${stalled} stalled` : ""}`}
      height={320}
      x={{ labels: columns }}
      dots={points.map((p) => ({ x: p.column, y: p.age, color: p.late ? chartColors.warn : chartColors.accent, ring: p.stalled, label: dotLabel(p) }))}
      rules={percentiles.p85 !== null ? [{ value: percentiles.p85, label: "p85" }] : []}
    />
  ) : (
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
  return (
    <div className="aging-chart">
      {picture}
      {stalled > 0 ? <StalledLegend /> : null}
    </div>
  );
}

function dotLabel(p: AgingPoint): string {
  return `${p.key}, ${p.status}, ${p.age} day${p.age === 1 ? "" : "s"}${p.stalled ? `; ${STALLED_NOTE}` : ""}`;
}

/** Below the chart in both of its pictures, so the outline reads the same before and after scripts. */
function StalledLegend() {
  return (
    <p className="chart-legend" data-testid="aging-stalled-legend">
      <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke={chartColors.text} strokeWidth={2} />
      </svg>{" "}
      {STALLED_LEGEND}
    </p>
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
