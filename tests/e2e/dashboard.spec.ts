import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

const CHARTS = ["cycle-time", "histogram", "throughput", "wip", "cfd", "aging", "blockers"];

async function api<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** The window the page shows, "YYYY-MM-DD to YYYY-MM-DD (…)". */
async function shownWindow(page: Page): Promise<{ from: string; to: string }> {
  const text = (await page.getByTestId("window").textContent()) ?? "";
  const [, from, to] = /^(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(text) ?? [];
  return { from: from!, to: to! };
}

async function dots(page: Page) {
  await page.locator("[data-testid=chart-cycle-time] .recharts-scatter-symbol").first().waitFor();
  return page.locator("[data-testid=chart-cycle-time] .recharts-scatter-symbol").count();
}

test.describe("team dashboard", () => {
  test("every chart draws the API's data", async ({ page, request }) => {
    await page.goto("/teams/payments");
    const { from, to } = await shownWindow(page);
    const q = `from=${from}&to=${to}`;
    const cycle = await api<{ count: number; percentiles: { p85: number } }>(request, `/api/teams/payments/metrics/cycle-time?${q}`);
    expect(await dots(page)).toBe(cycle.count);
    await expect(page.getByTestId("p85-summary")).toHaveText(`85% in ${cycle.percentiles.p85} days or less`);

    // The p85 line sits at the API's p85 on the chart's own y scale.
    const position = await page.evaluate(() => {
      const chart = document.querySelector("[data-testid=chart-cycle-time]")!;
      const line = chart.querySelector(".percentile-p85 line")!;
      // Tick labels sit at their value's y (Recharts centres them with dy, not y).
      const ticks = [...chart.querySelectorAll(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")]
        .map((t) => ({ value: parseFloat(t.textContent ?? "NaN"), y: parseFloat(t.getAttribute("y") ?? "NaN") }))
        .filter((t) => Number.isFinite(t.value) && Number.isFinite(t.y));
      return { y: parseFloat(line.getAttribute("y1")!), ticks };
    });
    expect(position.ticks.length).toBeGreaterThan(1);
    const [a, b] = [position.ticks[0]!, position.ticks.at(-1)!];
    const valueAtLine = a.value + ((position.y - a.y) * (b.value - a.value)) / (b.y - a.y);
    expect(valueAtLine).toBeCloseTo(cycle.percentiles.p85, 1);

    const throughput = await api<{ weekly: { count: number }[] }>(request, `/api/teams/payments/metrics/throughput?${q}`);
    await expect(page.locator("[data-testid=chart-throughput] .recharts-bar-rectangle")).toHaveCount(throughput.weekly.filter((w) => w.count > 0).length);
    const wip = await api<{ daily: { over_limit?: boolean }[] }>(request, `/api/teams/payments/metrics/wip?${q}`);
    await expect(page.locator("[data-testid=chart-wip] .over-limit-dot")).toHaveCount(wip.daily.filter((d) => d.over_limit).length);
    const cfd = await api<{ statuses: string[] }>(request, `/api/teams/payments/metrics/cfd?${q}`);
    await expect(page.locator("[data-testid=chart-cfd] .recharts-area")).toHaveCount(cfd.statuses.length);
    const aging = await api<{ items: { exceeds: string | null }[] }>(request, `/api/teams/payments/metrics/aging`);
    await expect(page.locator("[data-testid=chart-aging] .recharts-scatter-symbol")).toHaveCount(aging.items.length);
    await expect(page.locator("[data-testid=chart-aging] .aging-late")).toHaveCount(aging.items.filter((i) => i.exceeds === "p85" || i.exceeds === "p95").length);
    const blockers = await api<{ open: unknown[] }>(request, `/api/teams/payments/metrics/blockers?${q}`);
    await expect(page.locator("[data-testid=chart-blockers] .recharts-bar-rectangle")).toHaveCount(blockers.open.length);
    await expect(page.locator("[data-testid=chart-histogram] .recharts-bar-rectangle").first()).toBeVisible();
  });

  test("a filter changes the URL and the data; back and forward work; a copied URL reproduces the view", async ({ page, request }) => {
    await page.goto("/teams/growth");
    const ninety = await dots(page);
    await page.getByTestId("range-30").click();
    await expect(page).toHaveURL(/\/teams\/growth\?range=30$/);
    const window30 = await shownWindow(page);
    const cycle30 = await api<{ count: number }>(request, `/api/teams/growth/metrics/cycle-time?from=${window30.from}&to=${window30.to}`);
    await expect.poll(() => dots(page)).toBe(cycle30.count);
    expect(cycle30.count).toBeLessThan(ninety);

    await page.getByRole("combobox", { name: "Type" }).selectOption("bug");
    await expect(page).toHaveURL(/range=30&type=bug/);
    const bugs = await api<{ count: number }>(request, `/api/teams/growth/metrics/cycle-time?from=${window30.from}&to=${window30.to}&type=bug`);
    await expect.poll(() => page.locator("[data-testid=chart-cycle-time] .recharts-scatter-symbol").count()).toBe(bugs.count);

    await page.goBack();
    await expect(page).toHaveURL(/\/teams\/growth\?range=30$/);
    await expect.poll(() => dots(page)).toBe(cycle30.count);
    await page.goForward();
    await expect(page).toHaveURL(/type=bug/);

    // A custom range with an as-of instant, opened fresh in a new page, shows the same view.
    const asOf = `${window30.to}T12:00:00Z`;
    const url = `/teams/growth?from=${window30.from}&to=${window30.to}&type=story&as_of=${encodeURIComponent(asOf)}`;
    const fresh = await page.context().newPage();
    await fresh.goto(url);
    await expect(fresh.getByTestId("window")).toHaveText(`${window30.from} to ${window30.to} (America/New_York), as of ${asOf}, story only`);
    await expect(fresh.getByRole("combobox", { name: "Type" })).toHaveValue("story");
    const stories = await api<{ count: number }>(request, `/api/teams/growth/metrics/cycle-time?from=${window30.from}&to=${window30.to}&type=story&as_of=${encodeURIComponent(asOf)}`);
    expect(await dots(fresh)).toBe(stories.count);
  });

  test("each chart has a table view and a CSV download", async ({ page, request }) => {
    await page.goto("/teams/platform?range=30");
    const { from, to } = await shownWindow(page);
    const cycle = await api<{ count: number }>(request, `/api/teams/platform/metrics/cycle-time?from=${from}&to=${to}`);
    await dots(page);
    const card = page.getByTestId("card-cycle-time");
    await card.getByRole("button", { name: "Table" }).click();
    await expect(card.locator("tbody tr")).toHaveCount(cycle.count);
    const download = page.waitForEvent("download");
    await card.getByRole("button", { name: "CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("platform-cycle-time.csv");
    const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
    expect(text.split("\n")[0]).toBe("key,title,type,started_at,finished_at,cycle_time_days,cycle_time_hours");
    expect(text.trim().split("\n")).toHaveLength(cycle.count + 1);
  });

  test("a dot opens the item page with its timeline", async ({ page, request }) => {
    await page.goto("/teams/payments?range=30");
    const { from, to } = await shownWindow(page);
    await dots(page);
    const cycle = await api<{ items: { key: string; cycle_time_days: number }[] }>(request, `/api/teams/payments/metrics/cycle-time?from=${from}&to=${to}`);
    const item = cycle.items[0]!;
    await page.goto(`/teams/payments/items/${item.key}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(item.key);
    await expect(page.getByTestId("item-cycle-time")).toContainText(`${item.cycle_time_days} days`);
    await expect(page.getByTestId("timeline").locator("li").first()).toBeVisible();
  });

  for (const width of [1280, 390]) {
    test(`nothing overflows at ${width}px; screenshots of every chart`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ["/", "/teams/payments", "/teams/payments/items/PAY-1"]) {
        await page.goto(path);
        if (path === "/teams/payments") await dots(page);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth, path).toBeLessThanOrEqual(width);
      }
      await page.goto("/teams/payments");
      await dots(page);
      for (const id of CHARTS) {
        await page.getByTestId(`card-${id}`).screenshot({ path: `test-results/e2e/screenshots/${width}px-${id}.png` });
      }
    });
  }
});
