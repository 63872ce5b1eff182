import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { scrollThrough } from "./support/charts";

const CHARTS = ["cycle-time", "histogram", "throughput", "wip", "cfd", "aging", "blockers", "quality"];
/** The done statuses of the demo workflow (lib/demo/generate.ts). */
const DEMO_DONE = ["Done", "Won't Do"];

interface CfdResponse {
  statuses: string[];
  daily: { date: string; by_status: Record<string, number>; by_category: { todo: number; in_progress: number; done: number } }[];
}

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

interface QualityResponse {
  checks: { check: string; count: number; items: string[] }[];
}

/** The keys the data-quality check `stalled` lists for the window the page shows. */
async function stalledItems(request: APIRequestContext, team: string, window: { from: string; to: string }): Promise<string[]> {
  const quality = await api<QualityResponse>(request, `/api/teams/${team}/metrics/quality?from=${window.from}&to=${window.to}`);
  return quality.checks.find((c) => c.check === "stalled")!.items;
}

/** The aging card marks exactly these items stalled: the outlined dots, the count, the list. */
async function expectStalledMarks(page: Page, keys: string[]) {
  const card = page.getByTestId("card-aging");
  // Below the fold: its interactive chart loads when it comes near the viewport (on a shared
  // view, when the reader points at it).
  await card.scrollIntoViewIfNeeded();
  await card.locator(".lazy-chart").first().hover();
  await card.locator(".recharts-scatter-symbol").first().waitFor();
  await expect(card.locator(".aging-stalled")).toHaveCount(keys.length);
  for (const key of keys) await expect(card.locator(`.aging-stalled[aria-label^="${key}, "]`)).toHaveAttribute("aria-label", /stalled: no movement in 120 hours$/);
  await expect(card.getByTestId("aging-stalled")).toHaveAttribute("data-count", String(keys.length));
  await expect(card.getByTestId("aging-stalled-legend")).toHaveText("stalled: no movement for 5 days");
  // The list beside the chart, narrowed to the stalled items: each once, each with its badge.
  const only = card.getByTestId("aging-only-stalled");
  const list = card.getByTestId("aging-list");
  const listedKeys = () => list.locator("li .item-key, li a:not([data-testid=aging-report])").allTextContents();
  await only.click();
  await expect(only).toHaveAttribute("aria-pressed", "true");
  await expect(list.locator("li")).toHaveCount(keys.length);
  await expect(list.getByTestId("stalled-badge")).toHaveCount(keys.length);
  expect((await listedKeys()).sort()).toEqual([...keys].sort());
  // Back to the oldest dozen: a badge on each stalled item among them, on no other.
  await only.click();
  await expect(only).toHaveAttribute("aria-pressed", "false");
  const oldest = await listedKeys();
  await expect(list.getByTestId("stalled-badge")).toHaveCount(oldest.filter((k) => keys.includes(k)).length);
}

/** A browser with no session, as a share link's reader has. */
async function strangerPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function dots(page: Page) {
  // On a narrow screen the chart is below the fold: it draws once it comes near the viewport.
  await page.getByTestId("chart-cycle-time").scrollIntoViewIfNeeded();
  await page.locator("[data-testid=chart-cycle-time] .recharts-scatter-symbol").first().waitFor();
  return page.locator("[data-testid=chart-cycle-time] .recharts-scatter-symbol").count();
}

test.describe("team dashboard", () => {
  test("every chart draws the API's data", async ({ page, request }) => {
    await page.goto("/teams/payments");
    // How fresh the numbers are: the demo was imported when the test server started.
    await expect(page.getByTestId("freshness")).toHaveText(/^Data updated (just now|\d+ minutes? ago)\.$/);
    await expect(page.getByTestId("sync-failed")).toHaveCount(0);
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

    // The charts below the fold draw as the reader scrolls down to them.
    await scrollThrough(page);
    const throughput = await api<{ weekly: { count: number }[] }>(request, `/api/teams/payments/metrics/throughput?${q}`);
    await expect(page.locator("[data-testid=chart-throughput] .recharts-bar-rectangle")).toHaveCount(throughput.weekly.filter((w) => w.count > 0).length);
    const wip = await api<{ daily: { over_limit?: boolean }[] }>(request, `/api/teams/payments/metrics/wip?${q}`);
    await expect(page.locator("[data-testid=chart-wip] .over-limit-dot")).toHaveCount(wip.daily.filter((d) => d.over_limit).length);
    const cfd = await api<{ statuses: string[] }>(request, `/api/teams/payments/metrics/cfd?${q}`);
    // By default done is one band, counted from the window start; cfd=total draws one per status (below).
    await expect(page.locator("[data-testid=chart-cfd] .recharts-area")).toHaveCount(cfd.statuses.filter((s) => !DEMO_DONE.includes(s)).length + 1);
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

  test("the cumulative flow counts done from the window start; cfd=total shows the full count; the table keeps the API's numbers", async ({ page, request }) => {
    await page.goto("/teams/payments");
    const { from, to } = await shownWindow(page);
    const cfd = await api<CfdResponse>(request, `/api/teams/payments/metrics/cfd?from=${from}&to=${to}`);
    const first = cfd.daily[0]!;
    // A year of history: plenty was done before the window.
    expect(first.by_category.done).toBeGreaterThan(0);
    await page.getByTestId("card-cfd").scrollIntoViewIfNeeded();
    const plotted = page.locator("[data-testid=chart-cfd] [data-first-done]");
    await expect(plotted).toHaveAttribute("data-cfd", "since");
    await expect(plotted).toHaveAttribute("data-first-done", "0");
    await expect(page.locator("[data-testid=chart-cfd] .recharts-legend-item-text", { hasText: `done since ${from}` })).toHaveCount(1);

    const card = page.getByTestId("card-cfd");
    const firstRowDone = card.locator("tbody tr").first().locator("td").nth(cfd.statuses.indexOf("Done") + 1);
    await card.getByRole("button", { name: "Table" }).click();
    await expect(card.locator("tbody tr")).toHaveCount(cfd.daily.length);
    await expect(firstRowDone).toHaveText(String(first.by_status.Done));
    await card.getByRole("button", { name: "Chart" }).click();

    await page.getByTestId("cfd-count").click();
    await expect(page).toHaveURL(/\/teams\/payments\?cfd=total$/);
    await expect(plotted).toHaveAttribute("data-cfd", "total");
    await expect(plotted).toHaveAttribute("data-first-done", String(first.by_category.done));
    await expect(page.locator("[data-testid=chart-cfd] .recharts-area")).toHaveCount(cfd.statuses.length);
    await card.getByRole("button", { name: "Table" }).click();
    await expect(firstRowDone).toHaveText(String(first.by_status.Done));

    // A band on a day lists as many items as the API counts in that status.
    await card.getByRole("button", { name: "Chart" }).click();
    const day = cfd.daily.at(-1)!;
    const status = cfd.statuses.find((s) => !DEMO_DONE.includes(s) && (day.by_status[s] ?? 0) > 0)!;
    await card.getByLabel("List the items of a band on").fill(day.date);
    await card.getByTestId("cfd-day").locator(`button[data-band="${status}"]`).click();
    const band = page.getByTestId("drill-cfd");
    await expect(band).toHaveAttribute("data-status", "success");
    await expect(band.getByTestId("drill-item")).toHaveCount(day.by_status[status]!);
  });

  test("a WIP day, a throughput bar and p85 open the list of their items, each linking to its page", async ({ page, request }) => {
    await page.goto("/teams/payments");
    const { from, to } = await shownWindow(page);
    const q = `from=${from}&to=${to}`;
    await dots(page);

    const wip = await api<{ daily: { date: string; wip: number }[] }>(request, `/api/teams/payments/metrics/wip?${q}`);
    await page.getByTestId("card-wip").scrollIntoViewIfNeeded();
    const wipChart = page.locator("[data-testid=chart-wip] .recharts-wrapper");
    await wipChart.scrollIntoViewIfNeeded();
    const box = (await wipChart.boundingBox())!;
    const [x, y] = [box.x + box.width * 0.6, box.y + box.height * 0.5];
    // The chart knows the day under the pointer once it has shown that day's tooltip.
    await page.mouse.move(x, y);
    await expect(page.locator("[data-testid=chart-wip] .recharts-tooltip-wrapper")).toBeVisible();
    await page.mouse.click(x, y);
    const wipList = page.getByTestId("drill-wip");
    await expect(wipList).toHaveAttribute("data-status", "success");
    const clicked = (await wipList.getAttribute("data-subject"))!;
    const shown = wip.daily.find((d) => d.date === clicked)!.wip;
    await expect(wipList).toHaveAttribute("data-expected", String(shown));
    await expect(wipList.getByTestId("drill-item")).toHaveCount(shown);
    // The same list for the busiest day, chosen without a mouse.
    const busiest = wip.daily.reduce((a, b) => (b.wip > a.wip ? b : a));
    await page.getByTestId("card-wip").getByLabel("List the items in progress on").fill(busiest.date);
    await expect(wipList).toHaveAttribute("data-subject", busiest.date);
    await expect(wipList).toHaveAttribute("data-status", "success");
    await expect(wipList.getByTestId("drill-item")).toHaveCount(busiest.wip);
    for (const href of await wipList.getByTestId("drill-item").evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
      expect(href).toMatch(/^\/teams\/payments\/items\/PAY-\d+$/);
    }

    const throughput = await api<{ weekly: { week: string; count: number }[] }>(request, `/api/teams/payments/metrics/throughput?${q}`);
    await page.locator("[data-testid=chart-throughput] .recharts-bar-rectangle").first().click();
    const finished = page.getByTestId("drill-throughput");
    await expect(finished).toHaveAttribute("data-status", "success");
    const week = (await finished.getAttribute("data-subject"))!;
    const count = throughput.weekly.find((w) => w.week === week)!.count;
    expect(count).toBeGreaterThan(0);
    await expect(finished).toHaveAttribute("data-expected", String(count));
    await expect(finished.getByTestId("drill-item")).toHaveCount(count);

    const cycle = await api<{ percentiles: { p85: number }; items: { cycle_time_days: number }[] }>(request, `/api/teams/payments/metrics/cycle-time?${q}`);
    await page.getByTestId("p85-items").click();
    await expect(page.getByTestId("drill-p85").getByTestId("drill-item")).toHaveCount(cycle.items.filter((i) => i.cycle_time_days <= cycle.percentiles.p85).length);

    const link = finished.getByTestId("drill-item").first();
    const key = (await link.textContent())!;
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/teams/payments/items/${key}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(key);
  });

  test("the data-quality panel lists each check's items, each linking to its page", async ({ page, request }) => {
    await page.goto("/teams/payments");
    const { from, to } = await shownWindow(page);
    const quality = await api<{ checks: { check: string; count: number; items: string[] }[] }>(request, `/api/teams/payments/metrics/quality?from=${from}&to=${to}`);
    const card = page.getByTestId("card-quality");
    for (const c of quality.checks) {
      await expect(card.locator(`[data-check=${c.check}] [data-testid=quality-item]`)).toHaveCount(c.count);
    }
    // The demo pulls some started items back to Ready.
    const moved = quality.checks.find((c) => c.check === "moved_backwards")!;
    expect(moved.count).toBeGreaterThan(0);
    const link = card.locator("[data-check=moved_backwards] [data-testid=quality-item]").first();
    await expect(link).toHaveText(moved.items[0]!);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/teams/payments/items/${moved.items[0]}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(moved.items[0]!);
    // The item page says why: the check it fails, with what it means, and how its start came about.
    await expect(page.locator("[data-testid=item-quality] [data-check=moved_backwards]")).toContainText("Moved backwards");
    await expect(page.getByTestId("item-explanation")).toContainText(/Started when it (left|entered)/);
    await page.screenshot({ path: "test-results/e2e/screenshots/item-moved-backwards.png", fullPage: true });
  });

  test("the aging chart and list mark the items the stalled check lists, before and after scripts run", async ({ page, request }) => {
    await page.goto("/teams/payments");
    const window = await shownWindow(page);
    const stalled = await stalledItems(request, "payments", window);
    // The demo (seed 42) leaves PAY-910 in progress untouched for 30 days, well inside 90.
    expect(stalled.length).toBeGreaterThan(0);
    await expectStalledMarks(page, stalled);
    // The server's HTML draws the same outlines as plain SVG, before any script runs.
    const html = await (await request.get("/teams/payments")).text();
    expect(html.match(/class="static-dot static-dot-ring"/g)?.length ?? 0).toBe(stalled.length);
    for (const key of stalled) expect(html).toContain(`<title>${key}, `);
  });

  test("a shared dashboard marks the same stalled items", async ({ page, request, browser }) => {
    await page.goto("/teams/payments");
    const window = await shownWindow(page);
    await page.getByTestId("share-dashboard").click();
    await page.getByRole("dialog", { name: "Share dashboard" }).getByRole("button", { name: "Create link" }).click();
    const url = await page.getByTestId("share-url").inputValue();
    const stalled = await stalledItems(request, "payments", window);
    expect(stalled.length).toBeGreaterThan(0);
    const leader = await strangerPage(browser);
    await leader.goto(url);
    await expect(leader.getByTestId("shared-view")).toHaveAttribute("data-kind", "dashboard");
    await expectStalledMarks(leader, stalled);
    await leader.context().close();
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
      await scrollThrough(page);
      for (const id of CHARTS) {
        await page.getByTestId(`card-${id}`).screenshot({ path: `test-results/e2e/screenshots/${width}px-${id}.png` });
      }
    });
  }
});
