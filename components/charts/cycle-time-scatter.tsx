"use client";

import type { Percentiles } from "@/lib/metrics/compute/percentiles";
import type { TimedMark } from "./annotation-marks";
import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";
import { percentileColors, shortDate } from "./theme";

export interface CycleTimePoint {
  finishedMs: number;
  days: number;
  key: string;
  title?: string;
  type?: string;
}

export interface CycleTimeScatterProps {
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

const Drawn = lazyChart<CycleTimeScatterProps>(() => import("./first-screen-drawn").then((m) => ({ default: m.CycleTimeScatterDrawn })));

/** One dot per finished item: when it finished × how long it took, with percentile lines. */
export function CycleTimeScatter(props: CycleTimeScatterProps) {
  const { points, percentiles, domain } = props;
  const span: [number, number] = domain ?? (points.length > 0 ? [Math.min(...points.map((p) => p.finishedMs)), Math.max(...points.map((p) => p.finishedMs))] : [0, 1]);
  const picture = (
    <StaticChart
      label="Cycle time of each finished item"
      height={320}
      x={{ domain: span, format: shortDate }}
      dots={points.map((p) => ({ x: p.finishedMs, y: p.days }))}
      rules={(Object.entries(percentiles) as [string, number | null][]).flatMap(([p, v]) => (v === null ? [] : [{ value: v, label: p, color: percentileColors[p] }]))}
    />
  );
  return <Drawn {...props} picture={picture} />;
}
