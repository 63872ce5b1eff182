"use client";

import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Percentiles } from "@/lib/metrics/compute/percentiles";
import type { TimedMark } from "./annotation-marks";
import { annotationMarkers } from "./annotation-markers";
import { StaticChart, useHydrated } from "./static-chart";
import { axisProps, chartColors, percentileColors, shortDate } from "./theme";

export interface CycleTimePoint {
  finishedMs: number;
  days: number;
  key: string;
  title?: string;
  type?: string;
}

interface Props {
  points: CycleTimePoint[];
  percentiles: Percentiles;
  onSelect?: (key: string) => void;
  /** The x axis's span (epoch ms), e.g. the whole window; default: the dots'. */
  domain?: [number, number];
  annotations?: readonly TimedMark[];
}

export function percentileLabel(p: string, days: number): string {
  return `${p.slice(1)}% in ${days} day${days === 1 ? "" : "s"} or less`;
}

/** One dot per finished item: when it finished × how long it took, with percentile lines. */
export function CycleTimeScatter({ points, percentiles, onSelect, domain, annotations = [] }: Props) {
  if (!useHydrated()) {
    const span: [number, number] = domain ?? (points.length > 0 ? [Math.min(...points.map((p) => p.finishedMs)), Math.max(...points.map((p) => p.finishedMs))] : [0, 1]);
    return (
      <StaticChart
        label="Cycle time of each finished item"
        height={320}
        x={{ domain: span, format: shortDate }}
        dots={points.map((p) => ({ x: p.finishedMs, y: p.days }))}
        rules={(Object.entries(percentiles) as [string, number | null][]).flatMap(([p, v]) => (v === null ? [] : [{ value: v, label: p, color: percentileColors[p] }]))}
      />
    );
  }
  return (
    <ResponsiveContainer width="100%" height={320}>
      <ScatterChart margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke={chartColors.grid} />
        <XAxis type="number" dataKey="finishedMs" domain={domain ?? ["dataMin", "dataMax"]} tickFormatter={shortDate} name="Finished" {...axisProps} />
        <YAxis type="number" dataKey="days" name="Cycle time" unit=" d" allowDecimals={false} width={48} {...axisProps} />
        <Tooltip cursor={{ strokeDasharray: "3 3" }} content={<ItemTooltip />} />
        {(Object.entries(percentiles) as [string, number | null][]).map(([p, v]) =>
          v === null ? null : (
            <ReferenceLine
              key={p}
              y={v}
              stroke={percentileColors[p]}
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{ value: percentileLabel(p, v), position: p === "p50" || p === "p85" ? "insideTopRight" : "insideTopLeft", fill: percentileColors[p], fontSize: 11 }}
              className={`percentile-line percentile-${p}`}
            />
          ),
        )}
        {annotationMarkers(annotations)}
        <Scatter
          data={points}
          fill={chartColors.accent}
          fillOpacity={0.7}
          isAnimationActive={false}
          onClick={(d: unknown) => onSelect?.((d as { payload?: CycleTimePoint }).payload?.key ?? (d as CycleTimePoint).key)}
          style={{ cursor: onSelect ? "pointer" : undefined }}
        />
      </ScatterChart>
    </ResponsiveContainer>
  );
}

function ItemTooltip(props: { active?: boolean; payload?: readonly { payload: CycleTimePoint }[] }) {
  const point = props.active ? props.payload?.[0]?.payload : undefined;
  if (!point) return null;
  return (
    <div className="tooltip">
      <strong>{point.key}</strong> {point.type ? <span className="muted">· {point.type}</span> : null}
      {point.title ? <div>{point.title}</div> : null}
      <div>
        {point.days} day{point.days === 1 ? "" : "s"}, finished {new Date(point.finishedMs).toISOString().slice(0, 10)}
      </div>
      <div className="muted">Click the dot to open the item</div>
    </div>
  );
}
