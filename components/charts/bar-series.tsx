"use client";

import type { PlacedMark } from "./annotation-marks";
import { lazyChart } from "./lazy-chart";
import { StaticChart } from "./static-chart";

export interface BarSeriesProps {
  data: { label: string; value: number }[];
  valueName: string;
  /** Vertical marker lines at category labels (e.g. percentiles on a histogram). */
  markers?: { label: string; at: string; color?: string }[];
  height?: number;
  /** A click on a bar gives its index in `data`. */
  onSelect?: (index: number) => void;
  /** Annotations placed on the bars (indexes into `data`). */
  annotations?: readonly PlacedMark[];
}

const Drawn = lazyChart<BarSeriesProps>(() => import("./first-screen-drawn").then((m) => ({ default: m.BarSeriesDrawn })));

/** A plain bar chart: histograms and throughput. */
export function BarSeries(props: BarSeriesProps) {
  const { data, valueName, height = 260 } = props;
  return <Drawn {...props} picture={<StaticChart label={valueName} height={height} x={{ labels: data.map((d) => d.label) }} bars={data.map((d) => d.value)} />} />;
}
