import { barHeights } from "@/lib/views/share-preview";

/**
 * A plain SVG of a shared view's series: in the server's HTML, so the picture is there before any
 * script runs (the interactive chart replaces nothing; it sits below).
 */
export function PreviewBars({ values, caption, width = 640, height = 120 }: { values: readonly number[]; caption: string; width?: number; height?: number }) {
  const bars = barHeights(values);
  const step = bars.length > 0 ? width / bars.length : width;
  return (
    <figure className="preview-bars" data-testid="share-preview">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={caption}>
        {bars.map((h, i) => (
          <rect key={i} x={i * step + step * 0.1} y={height - h * (height - 4)} width={step * 0.8} height={h * (height - 4)} fill="var(--accent, #2563eb)" opacity={0.8} />
        ))}
      </svg>
      <figcaption className="muted">{caption}</figcaption>
    </figure>
  );
}
