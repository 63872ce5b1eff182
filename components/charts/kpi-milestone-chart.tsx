"use client";

import type { PeriodSpan } from "./annotation-marks";
import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";

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

/** A shipped milestone's before-window trend, already rolled up to the chart's periods. */
export interface MilestoneTrend {
  key: string;
  name: string;
  points: { period: string; value: number }[];
}

export interface KpiMilestoneChartProps {
  series: { period: string; value: number }[];
  markers: MilestoneMarker[];
  unit: string | null;
  /** Finished milestone items per period, drawn as bars on a second axis. */
  overlay?: { period: string; value: number }[];
  /** Drawn dashed over the before window and projected over the after window. */
  trends?: MilestoneTrend[];
  /** The team's annotations in the chart's periods; drawn where the chart has those periods. */
  annotations?: readonly PeriodSpan[];
}

const Drawn = lazyChart(() => import("./kpi-milestone-chart-drawn"));

/** A KPI over time with milestone ship dates (solid), due dates (dotted), forecast bands and trends (dashed). */
export function KpiMilestoneChart(props: KpiMilestoneChartProps) {
  const { series, markers, unit } = props;
  const values = series.map((s) => s.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
  const picture = (
    <StaticChart
      label={unit ? `KPI in ${unit} per period, with ship dates` : "KPI per period, with ship dates"}
      height={340}
      x={{ labels: series.map((s) => s.period) }}
      line={{ values }}
      yFrom={values.length > 0 && low >= 0 && low - pad <= 0 ? 0 : low - pad}
      yMax={values.length > 0 ? high + pad : undefined}
      marks={markers.flatMap((m) => {
        const at = m.shipped ? series.findIndex((s) => s.period >= m.shipped!) : -1;
        return at >= 0 ? [{ at, label: m.name }] : [];
      })}
    />
  );
  return <Drawn {...props} picture={picture} />;
}
