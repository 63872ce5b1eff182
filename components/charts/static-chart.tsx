import { useSyncExternalStore } from "react";
// Relative, as in annotation-marks.ts: the unit tests render these without the "@/" alias.
import { labelIndexes, niceMax, scale, yTicks } from "../../lib/views/static-chart";
import { chartColors } from "./theme";

const noSubscription = () => () => {};

/**
 * False while the server renders and while the browser hydrates that HTML, true after: the charts
 * draw their plain-SVG picture until then, so it is in the HTML, and hydration matches it.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

interface Line {
  value: number;
  label: string;
  color?: string;
}

export interface StaticChartProps {
  /** What the picture shows, for screen readers. */
  label: string;
  height: number;
  /** Category labels of a band x axis (bars, lines, areas), or a numeric x axis for dots. */
  x: { labels: string[] } | { domain: [number, number]; format: (value: number) => string };
  bars?: number[];
  line?: { values: number[]; step?: boolean };
  /** Stacked bands, bottom first; each value is the band's own height. */
  areas?: { color: string; values: number[] }[];
  /** `ring` outlines a dot that is marked (a stalled item); `label` is its tooltip and name. */
  dots?: { x: number; y: number; color?: string; ring?: boolean; label?: string }[];
  /** Horizontal reference lines (percentiles, a WIP limit). */
  rules?: Line[];
  /** Vertical markers at category indexes (ship dates). */
  marks?: { at: number; label: string }[];
  /** Where the y axis starts when 0 would flatten the series (a KPI); default 0. */
  yFrom?: number;
  yMax?: number;
}

const WIDTH = 640;
const compactFormat = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const compact = (v: number) => compactFormat.format(v);
const M = { top: 16, right: 16, bottom: 24, left: 44 };
/**
 * A coordinate to a tenth of a unit (a chart is 640 wide): a finer one is invisible, and full
 * doubles made a dashboard's pictures twice the bytes the server writes and the browser parses.
 */
const tenth = (v: number) => Math.round(v * 10) / 10;

/**
 * A chart as plain SVG with axes, drawn wherever React renders (the server included): the first
 * paint of every chart card, replaced by the interactive Recharts chart once scripts run.
 */
export function StaticChart({ label, height, x, bars, line, areas, dots, rules = [], marks = [], yFrom = 0, yMax }: StaticChartProps) {
  const plotW = WIDTH - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const stackTops = areas ? (areas[0]?.values ?? []).map((_, i) => areas.reduce((s, a) => s + (a.values[i] ?? 0), 0)) : [];
  const highest = Math.max(0, ...(bars ?? []), ...(line?.values ?? []), ...stackTops, ...(dots ?? []).map((d) => d.y), ...rules.map((r) => r.value));
  const top = yMax ?? (yFrom === 0 ? niceMax(highest) : highest);
  const y = (v: number) => tenth(scale(v, [yFrom, top], [M.top + plotH, M.top]));
  const ticks = yFrom === 0 ? yTicks(top) : [0, 1, 2, 3, 4].map((k) => yFrom + ((top - yFrom) * k) / 4);
  const band = "labels" in x ? x.labels : null;
  const step = band ? plotW / Math.max(1, band.length) : 0;
  const bx = (i: number) => tenth(M.left + step * i + step / 2);
  const nx = "domain" in x ? (v: number) => tenth(scale(v, x.domain, [M.left, M.left + plotW])) : bx;
  const xLabels = band
    ? labelIndexes(band.length).map((i) => ({ at: bx(i), text: band[i] ?? "" }))
    : "domain" in x
      ? [0, 1, 2, 3, 4].map((k) => {
          const v = x.domain[0] + ((x.domain[1] - x.domain[0]) * k) / 4;
          return { at: nx(v), text: x.format(v) };
        })
      : [];
  const path = (values: number[], stepped: boolean) =>
    values
      .map((v, i) => {
        const px = bx(i);
        if (i === 0) return `M${px},${y(v)}`;
        return stepped ? `H${px}V${y(v)}` : `L${px},${y(v)}`;
      })
      .join("");
  let base = stackTops.map(() => 0);
  return (
    <svg className="static-chart" data-testid="static-chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" height={height} role="img" aria-label={label}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={M.left} x2={M.left + plotW} y1={y(t)} y2={y(t)} stroke={chartColors.grid} />
          <text x={M.left - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill={chartColors.muted}>
            {compact(t)}
          </text>
        </g>
      ))}
      {xLabels.map((l, i) => (
        <text key={i} x={l.at} y={height - 6} textAnchor="middle" fontSize={11} fill={chartColors.muted}>
          {l.text}
        </text>
      ))}
      {areas?.map((a, k) => {
        const lower = base;
        const upper = lower.map((b, i) => b + (a.values[i] ?? 0));
        base = upper;
        if (upper.length === 0) return null;
        const d = `${upper.map((v, i) => `${i === 0 ? "M" : "L"}${bx(i)},${y(v)}`).join("")}${lower
          .map((v, i) => ({ v, i }))
          .reverse()
          .map(({ v, i }) => `L${bx(i)},${y(v)}`)
          .join("")}Z`;
        return <path key={k} d={d} fill={a.color} fillOpacity={0.85} className="static-area" />;
      })}
      {bars?.map((v, i) => (
        <rect key={i} className="static-bar" x={tenth(bx(i) - step * 0.4)} width={tenth(step * 0.8)} y={y(Math.max(0, v))} height={tenth(y(0) - y(Math.max(0, v)))} fill={chartColors.accent} />
      ))}
      {line && line.values.length > 0 ? <path className="static-line" d={path(line.values, line.step ?? false)} fill="none" stroke={chartColors.accent} strokeWidth={2} /> : null}
      {dots?.map((d, i) => (
        <circle
          key={i}
          className={d.ring ? "static-dot static-dot-ring" : "static-dot"}
          cx={nx(d.x)}
          cy={y(d.y)}
          r={d.ring ? 4.5 : 3.5}
          fill={d.color ?? chartColors.accent}
          fillOpacity={0.75}
          {...(d.ring ? { stroke: chartColors.text, strokeWidth: 2 } : {})}
        >
          {d.label ? <title>{d.label}</title> : null}
        </circle>
      ))}
      {marks.map((m) => (
        <g key={`${m.at}-${m.label}`} className="static-mark">
          <line x1={bx(m.at)} x2={bx(m.at)} y1={M.top} y2={M.top + plotH} stroke={chartColors.warn} strokeWidth={2} />
          <text x={bx(m.at)} y={M.top - 4} textAnchor="middle" fontSize={11} fill={chartColors.warn}>
            {m.label}
          </text>
        </g>
      ))}
      {rules.map((r) => (
        <g key={r.label}>
          <line x1={M.left} x2={M.left + plotW} y1={y(r.value)} y2={y(r.value)} stroke={r.color ?? chartColors.warn} strokeDasharray="6 4" />
          <text x={M.left + plotW} y={y(r.value) - 4} textAnchor="end" fontSize={11} fill={r.color ?? chartColors.warn}>
            {r.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
