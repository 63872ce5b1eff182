"use client";

import type { Percentiles } from "@/lib/metrics/compute/percentiles";
// Relative, as in static-chart.tsx: the unit tests render the server picture without the "@/" alias.
import { STALLED_LEGEND, STALLED_NOTE } from "../../lib/views/aging-view";
import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";
import { chartColors } from "./theme";

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

export interface AgingChartProps {
  points: AgingPoint[];
  columns: string[];
  percentiles: Percentiles;
  onSelect?: (key: string) => void;
}

const Drawn = lazyChart(() => import("./aging-chart-drawn"));

/** Each in-progress item in its status column at its age, over the cycle-time percentile bands. */
export function AgingChart(props: AgingChartProps) {
  const { points, columns, percentiles } = props;
  const stalled = points.filter((p) => p.stalled).length;
  // Until the interactive chart is drawn, the same picture as plain SVG (see static-chart.tsx), stalled outlines included.
  const picture = (
    <StaticChart
      label={`Age of each item in progress, by status${stalled > 0 ? `; ${stalled} stalled` : ""}`}
      height={320}
      x={{ labels: columns }}
      dots={points.map((p) => ({ x: p.column, y: p.age, color: p.late ? chartColors.warn : chartColors.accent, ring: p.stalled, label: dotLabel(p) }))}
      rules={percentiles.p85 !== null ? [{ value: percentiles.p85, label: "p85" }] : []}
    />
  );
  return (
    <div className="aging-chart">
      <Drawn {...props} picture={picture} />
      {stalled > 0 ? <StalledLegend /> : null}
    </div>
  );
}

export function dotLabel(p: AgingPoint): string {
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

