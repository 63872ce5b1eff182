// The geometry of a chart drawn as plain SVG on the server (Recharts 3 draws nothing there, see
// recharts#5997): so a shared view's picture is in the HTML before any script runs. Pure.

/** A "nice" top for a y axis: the smallest 1, 2, 2.5 or 5 × 10^k at or above `max` (1 for nothing). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= max - 1e-9) return step * magnitude;
  }
  return 10 * magnitude;
}

/** Evenly spaced tick values from 0 to `top` inclusive; whole numbers when `top` allows it. */
export function yTicks(top: number, count = 4): number[] {
  const step = top / count;
  return Array.from({ length: count + 1 }, (_, i) => Math.round(i * step * 1000) / 1000);
}

/** Indexes of at most `count` category labels to print, first and last included, evenly spread. */
export function labelIndexes(n: number, count = 6): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round((i * (n - 1)) / (count - 1)));
  return [...out];
}

/** Maps a value of [d0, d1] onto [r0, r1] (the middle of the range when the domain is one point). */
export function scale(value: number, [d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): number {
  if (d1 === d0) return (r0 + r1) / 2;
  return r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}
