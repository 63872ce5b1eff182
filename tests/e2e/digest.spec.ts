// The weekly digest page of the demo's Payments team: its lines say what the metric API says, and
// each links to the view it names.
import { expect, test } from "@playwright/test";
import { digestWeek, lastCompleteWeek } from "../../lib/digest/week";

const TZ = "Europe/Berlin";

test("the digest page states the week's numbers and its WIP line opens the week's dashboard", async ({ page, request }) => {
  // The week before the last complete one: wholly inside the demo's twelve months.
  const monday = lastCompleteWeek(new Date(Date.now() - 7 * 86_400_000), TZ);
  const week = digestWeek(monday, TZ, new Date())!;
  const asOf = week.asOf.toISOString().replace(".000Z", "Z");
  await page.goto(`/digest?team=payments&week=${monday}`);
  await expect(page.getByTestId("digest-title")).toHaveText(`Payments: week ${week.label}`);

  const lines = page.getByTestId("digest-line");
  // Throughput, cycle time, WIP, aging, stalled, at least one roadblock line, milestones.
  expect(await lines.count()).toBeGreaterThanOrEqual(7);

  // Throughput against the four weeks before: the API's weekly counts for the same five weeks.
  const q = (from: string) => `from=${from}&to=${week.to}&as_of=${encodeURIComponent(asOf)}`;
  const tp = (await (await request.get(`/api/teams/payments/metrics/throughput?${q(week.previousFrom)}`)).json()) as { weekly: { week: string; count: number }[] };
  const counts = tp.weekly.map((w) => w.count);
  expect(counts).toHaveLength(5);
  await expect(lines.nth(0)).toContainText(`Throughput: ${counts[4]} item${counts[4] === 1 ? "" : "s"} finished`);
  await expect(lines.nth(0)).toContainText(`in the previous four weeks (${counts.slice(0, 4).join(", ")})`);

  // Cycle time: p85 of the week's finished items, as the API computes it.
  const ct = (await (await request.get(`/api/teams/payments/metrics/cycle-time?${q(monday)}`)).json()) as { percentiles: { p85: number | null } };
  if (ct.percentiles.p85 !== null) await expect(lines.nth(1)).toContainText(`Cycle time: 85% in ${ct.percentiles.p85} day${ct.percentiles.p85 === 1 ? "" : "s"} or less`);

  // WIP: days over the limit of 16, then the line's link, to the week's dashboard as of its end.
  const wip = (await (await request.get(`/api/teams/payments/metrics/wip?${q(monday)}`)).json()) as { daily: { over_limit?: boolean }[] };
  const over = wip.daily.filter((d) => d.over_limit).length;
  const wipLine = lines.nth(2);
  await expect(wipLine).toHaveText(over === 0 ? /^WIP: within its limit of 16 on all 7 days/ : new RegExp(`^WIP: over its limit of 16 on ${over} of 7 days`));
  await page.screenshot({ path: "test-results/e2e/screenshots/digest.png", fullPage: true });
  await wipLine.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/teams/payments\\?from=${monday}&to=${week.to}&as_of=${encodeURIComponent(asOf).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payments: flow");
  await expect(page.getByTestId("wip-over")).toHaveText(`${over} of 7 days over the limit of 16`);
});

test("a team outside the reader's is not found, and a day that is not a Monday says so", async ({ page }) => {
  await page.goto("/digest?team=payments&week=2026-01-06");
  await expect(page.getByTestId("view-refused")).toContainText("week must be a Monday");
  const response = await page.goto("/digest?team=no-such-team");
  expect(response?.status()).toBe(404);
});
