import { expect, test, type Page } from "@playwright/test";
import { scrollThrough } from "./support/charts";
import { ADMIN } from "./accounts";

/** The window the page shows, "YYYY-MM-DD to YYYY-MM-DD (…)". */
async function shownWindow(page: Page): Promise<{ from: string; to: string }> {
  const text = (await page.getByTestId("window").textContent()) ?? "";
  const [, from, to] = /^(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(text) ?? [];
  return { from: from!, to: to! };
}

const daysBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

test("an admin annotates a team: it is listed, marked on the time-axis charts, and deleted again", async ({ page }) => {
  await page.goto("/teams/payments");
  const { from, to } = await shownWindow(page);
  // Inside the default 90-day window, clear of its edges.
  const on = daysBefore(to, 20);
  expect(on > from).toBe(true);

  const throughputMarks = page.locator("[data-testid=chart-throughput] .annotation-marker");
  const wipMarks = page.locator("[data-testid=chart-wip] .annotation-marker");
  await scrollThrough(page);
  await page.locator("[data-testid=chart-wip] .recharts-line").first().waitFor();
  await page.locator("[data-testid=chart-throughput] .recharts-bar-rectangle").first().waitFor();
  const before = { throughput: await throughputMarks.count(), wip: await wipMarks.count() };

  const form = page.getByRole("form", { name: "Add an annotation" });
  await form.getByLabel("On (or from)").fill(on);
  await form.getByLabel("Label").fill("pricing change");
  await form.getByLabel("Note").fill("Plans from $29 a month");
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByTestId("annotation-ok")).toHaveText('Added "pricing change".');

  const entry = page.getByTestId("annotation").filter({ hasText: "pricing change" });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(on);
  await expect(entry).toContainText("Plans from $29 a month");
  await expect(entry).toContainText(`by ${ADMIN.name}`);

  // One marker more on each chart, its label on it and author and time in its hover text.
  await expect(throughputMarks).toHaveCount(before.throughput + 1);
  await expect(wipMarks).toHaveCount(before.wip + 1);
  const wipMark = wipMarks.filter({ hasText: "pricing change" });
  await expect(wipMark).toHaveCount(1);
  await expect(wipMark.locator(".annotation-label")).toHaveAttribute("aria-label", new RegExp(`^pricing change \\(${on}\\): Plans from \\$29 a month — by ${ADMIN.name}, \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`));
  await expect(throughputMarks.filter({ hasText: "pricing change" })).toHaveCount(1);

  // The team's outcomes chart marks it too, in its week.
  await page.goto("/outcomes?team=payments&kpi=mrr");
  await expect(page.locator("[data-testid=kpi-chart] .annotation-marker").filter({ hasText: "pricing change" })).toHaveCount(1);
  await page.goto("/teams/payments");

  await entry.getByRole("button", { name: "Delete pricing change" }).click();
  await expect(entry).toHaveCount(0);
  await expect(throughputMarks).toHaveCount(before.throughput);
  await expect(wipMarks).toHaveCount(before.wip);
});
