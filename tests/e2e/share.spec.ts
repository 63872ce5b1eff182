import { expect, test, type Browser, type Page } from "@playwright/test";

/** A browser with no session at all, as a leader opening a link from a written update has. */
async function stranger(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

async function shownTo(page: Page): Promise<string> {
  const text = (await page.getByTestId("window").textContent()) ?? "";
  return /to (\d{4}-\d{2}-\d{2})/.exec(text)![1]!;
}

const daysBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

test("share a chart: a fresh browser without a session sees the same chart, numbers and annotation; its image is a PNG; revoked, it answers 410", async ({ page, browser }) => {
  await page.goto("/teams/payments");
  const to = await shownTo(page);
  // An annotation the link should carry.
  const form = page.getByRole("form", { name: "Add an annotation" });
  await form.getByLabel("On (or from)").fill(daysBefore(to, 30));
  await form.getByLabel("Label").fill("team split");
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByTestId("annotation-ok")).toContainText("team split");

  const card = page.getByTestId("card-cycle-time");
  await card.locator(".recharts-scatter-symbol").first().waitFor();
  const p85 = (await card.getByTestId("p85-summary").textContent())!;
  const dots = await card.locator("[data-count]").getAttribute("data-count");
  await card.getByTestId("share-cycle-time").click();
  await card.getByRole("button", { name: "Create link" }).click();
  const url = await card.getByTestId("share-url").inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{32}$/);

  const { context, page: leader } = await stranger(browser);
  const response = await leader.goto(url);
  expect(response?.status()).toBe(200);
  const view = leader.getByTestId("shared-view");
  await expect(view).toBeVisible();
  const days = Number(/in (\d+) days?/.exec(p85)![1]);
  const headline = `Payments: 85% of items in ${days} day${days === 1 ? "" : "s"} or less`;
  await expect(leader.getByTestId("share-headline")).toHaveText(headline);
  // The chart is in the server's HTML, before any script runs: a browser without JavaScript
  // sees one dot per item and the percentile lines.
  const noScript = await browser.newContext({ storageState: { cookies: [], origins: [] }, javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(url);
  const drawn = plain.getByTestId("card-cycle-time").getByTestId("static-chart");
  await expect(drawn.locator(".static-dot")).toHaveCount(Number(dots));
  await expect(drawn).toContainText("p85");
  await expect(plain.getByTestId("p85-summary")).toHaveText(p85);
  await noScript.close();
  const shared = view.getByTestId("card-cycle-time");
  await expect(shared.getByTestId("p85-summary")).toHaveText(p85);
  await expect(shared.locator("[data-count]")).toHaveAttribute("data-count", dots!);
  // A shared view shows the server's drawing, with no chart code loaded, until the reader points
  // at a chart: then its interactive version, tooltips and all.
  await expect(shared.getByTestId("static-chart")).toBeVisible();
  await expect(shared.locator(".recharts-scatter-symbol")).toHaveCount(0);
  await shared.getByTestId("static-chart").hover();
  await expect(shared.locator(".recharts-scatter-symbol").first()).toBeVisible();
  await expect(shared.locator(".annotation-marker").filter({ hasText: "team split" })).toHaveCount(1);
  // That view and nothing else: no way into the app's teams or items, and not for search engines.
  await expect(view.locator('a[href^="/teams"]')).toHaveCount(0);
  await expect(leader.getByTestId("card-throughput")).toHaveCount(0);
  await expect(leader.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  const image = await leader.locator('meta[property="og:image"]').getAttribute("content");
  const png = await context.request.get(image!);
  expect(png.status()).toBe(200);
  expect(png.headers()["content-type"]).toBe("image/png");
  expect((await png.body()).subarray(1, 4).toString()).toBe("PNG");
  await expect(leader.locator('meta[property="og:title"]')).toHaveAttribute("content", headline);
  // The link's visitor is nobody in the app.
  expect((await context.request.get("/api/teams/payments/metrics/wip")).status()).toBe(401);

  // The sharer's account lists the link with its views, and revokes it: the next visit gets 410.
  await page.goto("/account");
  const row = page.getByTestId("share-links").locator("tr", { hasText: "Payments: cycle time" }).first();
  await expect(row.getByTestId("share-views")).not.toHaveText("0");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("share-links").locator("tr", { hasText: "Payments: cycle time" }).first()).toHaveAttribute("data-state", "revoked");
  const gone = await leader.goto(url);
  expect(gone?.status()).toBe(410);
  await expect(leader.getByTestId("share-gone")).toBeVisible();
  await expect(leader.getByTestId("p85-summary")).toHaveCount(0);
  expect((await context.request.get(image!)).status()).toBe(410);
  expect((await context.request.get("/s/unknownunknownunknownunknown00")).status()).toBe(404);
  await context.close();

  // Clean up the annotation for the other tests.
  await page.goto("/teams/payments");
  await page.getByTestId("annotation").filter({ hasText: "team split" }).getByRole("button", { name: "Delete team split" }).click();
  await expect(page.getByTestId("annotation").filter({ hasText: "team split" })).toHaveCount(0);
});

test("share the whole dashboard as a rolling view, and the outcomes", async ({ page, browser }) => {
  await page.goto("/teams/payments?range=30");
  await page.getByTestId("share-dashboard").click();
  const panel = page.getByRole("dialog", { name: "Share dashboard" });
  await panel.getByLabel("the last").check();
  await panel.getByRole("button", { name: "Create link" }).click();
  const url = await page.getByTestId("share-url").inputValue();

  await page.goto("/outcomes?team=growth&kpi=signups");
  await page.getByTestId("share-outcomes").click();
  await page.getByRole("dialog", { name: "Share outcomes" }).getByRole("button", { name: "Create link" }).click();
  const outcomesUrl = await page.getByTestId("share-url").inputValue();

  const { context, page: leader } = await stranger(browser);
  await leader.goto(url);
  await expect(leader.getByTestId("shared-view")).toHaveAttribute("data-kind", "dashboard");
  await expect(leader.getByText("kept up to date")).toBeVisible();
  for (const id of ["cycle-time", "throughput", "wip", "cfd", "aging", "blockers", "quality"]) await expect(leader.getByTestId(`card-${id}`)).toBeVisible();
  // No item page is linked from a shared view, and no drill-down asks the app for more.
  await expect(leader.locator('[data-testid=shared-view] a[href*="/items/"]')).toHaveCount(0);
  // Every chart of the shared dashboard is drawn in the server's HTML.
  const html = await (await context.request.get(url)).text();
  expect(html.match(/data-testid="static-chart"/g)?.length ?? 0).toBeGreaterThanOrEqual(6);
  expect(html).toContain('class="static-bar"');
  expect(html).toContain('class="static-area"');
  await leader.goto(outcomesUrl);
  await expect(leader.getByTestId("impact-table").locator("tbody tr")).toHaveCount(2);
  // The server's drawing until the reader points at the chart, then the interactive one.
  await expect(leader.locator("[data-testid=kpi-chart] .static-mark")).toHaveCount(2);
  await leader.locator("[data-testid=kpi-chart] .lazy-chart").first().hover();
  await expect(leader.locator("[data-testid=kpi-chart] .ship-marker")).toHaveCount(2);
  const outcomesHtml = await (await context.request.get(outcomesUrl)).text();
  expect(outcomesHtml.match(/class="static-mark"/g)).toHaveLength(2);
  await context.close();
});
