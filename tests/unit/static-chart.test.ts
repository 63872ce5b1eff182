import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { StaticChart, type StaticChartProps } from "../../components/charts/static-chart";
import { labelIndexes, niceMax, scale, yTicks } from "../../lib/views/static-chart";

describe("server-drawn chart geometry", () => {
  it("rounds the top of the y axis up to 1, 2, 2.5 or 5 × 10^k", () => {
    expect([0, 0.3, 1, 3, 7, 11, 24, 26, 480, 1001].map(niceMax)).toEqual([1, 0.5, 1, 5, 10, 20, 25, 50, 500, 2000]);
  });

  it("spreads ticks from 0 to the top", () => {
    expect(yTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(yTicks(1, 2)).toEqual([0, 0.5, 1]);
  });

  it("labels at most six categories, always the first and the last", () => {
    expect(labelIndexes(3)).toEqual([0, 1, 2]);
    expect(labelIndexes(53)).toEqual([0, 10, 21, 31, 42, 52]);
    expect(labelIndexes(0)).toEqual([]);
  });

  it("maps a domain onto a range, the middle for a single point", () => {
    expect(scale(5, [0, 10], [0, 200])).toBe(100);
    expect(scale(0, [0, 10], [200, 0])).toBe(200);
    expect(scale(3, [3, 3], [0, 100])).toBe(50);
  });
});

describe("server-drawn dots", () => {
  const markup = (dots: StaticChartProps["dots"]) => renderToStaticMarkup(createElement(StaticChart, { label: "Ages", height: 200, x: { labels: ["In Progress", "Review"] }, dots }));

  it("outlines a ringed dot and names it in a tooltip; plain dots stay as they were", () => {
    const svg = markup([
      { x: 0, y: 3 },
      { x: 1, y: 8, ring: true, label: "PAY-9, Review, 8 days; stalled: no movement in 120 hours" },
    ]);
    expect(svg.match(/class="static-dot"/g)).toHaveLength(1);
    const ring = /<circle class="static-dot static-dot-ring"[^>]*>(.*?)<\/circle>/.exec(svg);
    expect(ring?.[0]).toContain('stroke="var(--text)"');
    expect(ring?.[0]).toContain('stroke-width="2"');
    expect(ring?.[1]).toBe("<title>PAY-9, Review, 8 days; stalled: no movement in 120 hours</title>");
    expect(svg).toMatch(/<circle class="static-dot" cx="[\d.]+" cy="[\d.]+" r="3.5" fill="var\(--accent\)" fill-opacity="0.75"><\/circle>/);
  });

  it("draws a ringed dot where a plain one would be", () => {
    const at = (svg: string, cls: string) => new RegExp(`class="${cls}" cx="([\\d.]+)" cy="([\\d.]+)"`).exec(svg)?.slice(1);
    expect(at(markup([{ x: 1, y: 8, ring: true }]), "static-dot static-dot-ring")).toEqual(at(markup([{ x: 1, y: 8 }]), "static-dot"));
  });

  it("writes coordinates to a tenth of a unit, within a twentieth of the exact place", () => {
    const props: StaticChartProps = { label: "Cycle time", height: 320, x: { domain: [0, 7], format: String }, dots: [{ x: 1, y: 3 }, { x: 2.3456, y: 7 }], rules: [{ value: 1.7, label: "p85" }] };
    const svg = renderToStaticMarkup(createElement(StaticChart, props));
    const numbers = [...svg.matchAll(/ (?:cx|cy|x1|x2|y1|y2|x|y)="(-?[\d.]+)"/g)].map((m) => m[1]!);
    expect(numbers.length).toBeGreaterThan(10);
    for (const n of numbers) expect(n).toMatch(/^-?\d+(\.\d)?$/);
    // The second dot: x 2.3456 of 0…7 across the plot (44 … 624), y 7 of 0…10 up the plot (296 … 16).
    const [, cx, cy] = [...svg.matchAll(/class="static-dot" cx="([\d.]+)" cy="([\d.]+)"/g)][1] ?? [];
    expect(Math.abs(Number(cx) - (44 + (2.3456 / 7) * 580))).toBeLessThanOrEqual(0.05);
    expect(Math.abs(Number(cy) - (296 - 0.7 * 280))).toBeLessThanOrEqual(0.05);
  });
});
