"use client";

import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { annotationMarkers } from "./annotation-markers";
import { percentileLabel, type CycleTimePoint, type CycleTimeScatterProps } from "./cycle-time-scatter";
import { axisProps, chartColors, percentileColors, shortDate } from "./theme";

/** The interactive scatter (components/charts/cycle-time-scatter.tsx loads it when needed). */
export default function CycleTimeScatterDrawn({ points, percentiles, onSelect, domain, annotations = [] }: CycleTimeScatterProps) {
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
