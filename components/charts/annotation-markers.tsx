import { ReferenceArea, ReferenceLine } from "recharts";
import type { PlacedMark } from "./annotation-marks";

/** A marker at x1 (a line), or from x1 to x2 (an area), in the values of the chart's x axis. */
export interface AxisMark {
  id: number;
  label: string;
  title: string;
  /** A page the label links to (a decision's). */
  href?: string;
  x1: string | number;
  x2: string | number | null;
}

const LABEL_ROWS = 3;
const MAX_LABEL = 22;

/** Marks placed on periods, in the x values the chart's rows use for those periods. */
export function onCategories(marks: readonly PlacedMark[], xOf: (index: number) => string | undefined): AxisMark[] {
  return marks.flatMap((m) => {
    const x1 = xOf(m.first);
    const x2 = xOf(m.last);
    return x1 === undefined || x2 === undefined ? [] : [{ id: m.id, label: m.label, title: m.title, ...(m.href ? { href: m.href } : {}), x1, x2: m.first === m.last ? null : x2 }];
  });
}

function markLabel(mark: AxisMark, row: number) {
  const text = mark.label.length > MAX_LABEL ? `${mark.label.slice(0, MAX_LABEL - 1)}…` : mark.label;
  // Labels of neighbouring markers go on different rows so that they overlap less.
  return function AnnotationLabel(props: { viewBox?: { x?: number; y?: number } }) {
    const label = (
      <text x={(props.viewBox?.x ?? 0) + 4} y={(props.viewBox?.y ?? 0) + 12 + row * 13} fontSize={11} fill="var(--annotation)" className="annotation-label" tabIndex={mark.href ? undefined : 0} aria-label={mark.title}>
        <title>{mark.title}</title>
        {text}
      </text>
    );
    // A decision's label opens its page; an annotation's only says what it is.
    return mark.href ? <a href={mark.href}>{label}</a> : label;
  };
}

/**
 * The chart children for a team's annotations: one line or area per annotation, class
 * "annotation-marker", its label on it and its full text (author and time) on hover or focus.
 */
export function annotationMarkers(marks: readonly AxisMark[], options: { yAxisId?: string } = {}) {
  return marks.map((m, i) => {
    const common = {
      className: "annotation-marker",
      ifOverflow: "hidden" as const,
      label: markLabel(m, i % LABEL_ROWS),
      ...(options.yAxisId ? { yAxisId: options.yAxisId } : {}),
    };
    return m.x2 === null || m.x2 === m.x1 ? (
      <ReferenceLine key={`annotation-${m.id}`} x={m.x1} stroke="var(--annotation)" strokeWidth={1.5} {...common}>
        <title>{m.title}</title>
      </ReferenceLine>
    ) : (
      <ReferenceArea key={`annotation-${m.id}`} x1={m.x1} x2={m.x2} fill="var(--annotation-fill)" fillOpacity={1} stroke="var(--annotation)" strokeOpacity={0.4} {...common}>
        <title>{m.title}</title>
      </ReferenceArea>
    );
  });
}
