import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AgingChart, type AgingPoint } from "../../components/charts/aging-chart";

const percentiles = { p50: 3, p70: 5, p85: 8, p95: 12 };
const point = (key: string, column: number, age: number, stalled: boolean): AgingPoint => ({ key, column, age, status: ["In Progress", "Review"][column]!, late: age > 8, stalled });

// What the server sends before any script runs: the plain-SVG picture and its legend.
const serverHtml = (points: AgingPoint[]) => renderToStaticMarkup(createElement(AgingChart, { points, columns: ["In Progress", "Review"], percentiles }));

describe("the aging chart's server picture", () => {
  it("outlines each stalled item, names it, and adds the legend entry", () => {
    const html = serverHtml([point("PAY-1", 0, 2, false), point("PAY-2", 1, 9, true), point("PAY-3", 0, 30, true)]);
    expect(html.match(/class="static-dot static-dot-ring"/g)).toHaveLength(2);
    expect(html.match(/class="static-dot"/g)).toHaveLength(1);
    expect(html).toContain("<title>PAY-2, Review, 9 days; stalled: no movement in 120 hours</title>");
    expect(html).toContain("<title>PAY-1, In Progress, 2 days</title>");
    expect(html).toContain('aria-label="Age of each item in progress, by status; 2 stalled"');
    expect(html).toContain("stalled: no movement for 5 days");
  });

  it("has no outline and no legend entry when nothing is stalled", () => {
    const html = serverHtml([point("PAY-1", 0, 2, false), point("PAY-4", 1, 11, false)]);
    expect(html).not.toContain("static-dot-ring");
    expect(html).not.toContain("stalled");
    expect(html.match(/class="static-dot"/g)).toHaveLength(2);
  });
});
