import { expect, test } from "@playwright/test";

test("the outcomes page marks the demo's ship dates and lists each milestone's impact", async ({ page, request }) => {
  await page.goto("/outcomes?team=growth&kpi=signups&window=28");
  const impact = await request.get("/api/teams/growth/milestone-impact?kpi=signups&window=28");
  expect(impact.status()).toBe(200);
  const body = (await impact.json()) as { milestones: { key: string; shipped_on: string | null; items: number; change: number | null }[] };
  expect(body.milestones.map((m) => m.key)).toEqual(["onboarding-revamp", "referrals"]);

  const rows = page.getByTestId("impact-table").locator("tbody tr");
  await expect(rows).toHaveCount(body.milestones.length);
  for (const m of body.milestones) {
    const row = page.locator(`[data-milestone="${m.key}"]`);
    await expect(row).toContainText(m.shipped_on!);
    await expect(row.locator("td").nth(2)).toHaveText(String(m.items));
    // The demo's onboarding revamp lifts signups: the page shows the API's positive change.
    expect(m.change).toBeGreaterThan(0);
    await expect(row.getByTestId("impact-change")).toContainText("+");
  }
  await expect(page.locator("[data-testid=kpi-chart] .ship-marker")).toHaveCount(2);
  const first = body.milestones[0]!;
  await expect(page.locator("[data-testid=kpi-chart] .ship-label title").first()).toHaveText(new RegExp(`${first.items} items done`));

  await page.getByRole("link", { name: "Show milestone items finished per period" }).click();
  await expect(page).toHaveURL(/overlay=1/);
  await expect(page.locator("[data-testid=kpi-chart] .recharts-bar-rectangle").first()).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screenshots/outcomes.png", fullPage: true });
});

test("each shipped milestone is measured against its trend before the ship date, which the chart draws", async ({ page, request }) => {
  await page.goto("/outcomes?team=growth&kpi=signups&window=28");
  const impact = await request.get("/api/teams/growth/milestone-impact?kpi=signups&window=28");
  expect(impact.status()).toBe(200);
  const body = (await impact.json()) as { milestones: { key: string; shipped_on: string | null; change_vs_trend: number | null; residual_sd: number | null }[] };
  const shipped = body.milestones.filter((m) => m.shipped_on !== null);
  expect(shipped.length).toBeGreaterThan(0);
  // The page's number format: at most one decimal, with a sign.
  const fmt = (v: number) => Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(v);
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const m of shipped) {
    // The demo records signups every day, so both sides have data and the before side has a spread.
    expect(m.change_vs_trend).not.toBeNull();
    expect(m.residual_sd).not.toBeNull();
    const change = m.change_vs_trend!;
    const sd = m.residual_sd!;
    const row = page.locator(`[data-milestone="${m.key}"]`);
    const shown = `${change >= 0 ? "+" : ""}${fmt(change)}`;
    await expect(row.getByTestId("impact-change-vs-trend")).toHaveText(new RegExp(`^${literal(shown)}( \\(|$)`));
    const verdict = row.getByTestId("impact-verdict");
    if (Math.abs(change) < 2 * sd) {
      await expect(verdict).toHaveText(`within its usual variation (±2 × ${fmt(sd)} per day)`);
    } else {
      await expect(verdict).toContainText("moved beyond its trend");
      await expect(verdict).toContainText(`${change > 0 ? "above" : "below"} it by more than 2 × ${fmt(sd)} per day`);
    }
    const name = (await row.locator("th").innerText()).trim();
    await expect(page.locator("[data-testid=kpi-chart] .recharts-legend-item-text", { hasText: `trend before ${name}` })).toHaveCount(1);
  }
  await expect(page.locator("[data-testid=kpi-chart] .trend-line")).toHaveCount(shipped.length);
  await expect(page.locator("[data-testid=kpi-chart] .trend-line path.recharts-line-curve")).toHaveCount(shipped.length);
});

test("an open milestone gets a forecast band, and the API refuses an unknown KPI", async ({ page, request }) => {
  await page.goto("/outcomes?team=payments&kpi=mrr");
  // The demo's payments team finishes items every week, so its open milestone has a forecast.
  await expect(page.locator('[data-milestone="instant-refunds"]')).toContainText(/open: 85% likely by \d{4}-\d{2}-\d{2} \(\d+ items left\)/);
  await expect(page.locator("[data-testid=kpi-chart] .forecast-band")).toHaveCount(1);
  await expect(page.locator("[data-testid=kpi-chart] .ship-marker")).toHaveCount(1);

  // A hand-edited address gets the rule it broke, not an error page.
  await page.goto("/outcomes?team=payments&kpi=mrr&as_of=yesterday");
  await expect(page.getByTestId("outcomes-error")).toContainText("as_of: must be an instant with an offset");
  const bad = await request.get("/api/teams/payments/milestone-impact?kpi=nope");
  expect(bad.status()).toBe(404);
  const missing = await request.get("/api/teams/payments/milestone-impact");
  expect(missing.status()).toBe(400);
  expect((await missing.json()).details[0].where).toBe("kpi");
});
