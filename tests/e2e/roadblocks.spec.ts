import { expect, test, type APIRequestContext } from "@playwright/test";

// A member's report is a block the metrics count at once; a reviewer's "resolved" ends it.
// Signed in as the admin (playwright.config.ts), who may both report and answer, on the demo data.

interface Blockers {
  open: { key: string; blocked_since: string }[];
  items: { key: string; blocked_hours: number }[];
}
interface Aging {
  items: { key: string; age_hours: number }[];
}

const getJson = async <T>(request: APIRequestContext, path: string): Promise<T> => {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
};
const blockedHours = (b: Blockers, key: string) => b.items.find((i) => i.key === key)?.blocked_hours ?? 0;

/** The wall clock of an instant in a zone, as a datetime-local input takes it ("2026-03-10T09:30"). */
function wallClock(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

test("a roadblock reported on an item shows among open blockers with its proposal, and a reviewer's 'resolved' ends the block", async ({ page }) => {
  const request = page.request;
  const { teams } = await getJson<{ teams: { key: string; timezone: string }[] }>(request, "/api/teams");
  const timeZone = teams.find((t) => t.key === "payments")!.timezone;

  // An item in progress for more than two days and not blocked now: the report is its only block.
  const [aging, before] = await Promise.all([getJson<Aging>(request, "/api/teams/payments/metrics/aging"), getJson<Blockers>(request, "/api/teams/payments/metrics/blockers")]);
  const blockedNow = new Set(before.open.map((o) => o.key));
  // Never blocked before, if there is one: no earlier blocked time merges with the report's.
  const candidates = aging.items.filter((i) => i.age_hours > 72 && !blockedNow.has(i.key)).sort((a, b) => b.age_hours - a.age_hours);
  const item = (candidates.find((i) => blockedHours(before, i.key) === 0) ?? candidates[0]!).key;
  const hoursBefore = blockedHours(before, item);

  // Blocked since a day ago, to the minute (the form takes minutes).
  const since = new Date(Math.floor((Date.now() - 24 * 3_600_000) / 60_000) * 60_000);
  const problem = `Sandbox keys expired ${since.getTime()}`;
  const proposal = "Rotate the keys with the platform team";

  // The aging list and the blockers card link to the item page's form.
  await page.goto("/teams/payments");
  await expect(page.getByTestId("aging-report").first()).toHaveAttribute("href", /\/teams\/payments\/items\/[^#]+#report-roadblock$/);
  await page.goto(`/teams/payments/items/${encodeURIComponent(item)}#report-roadblock`);
  const form = page.getByRole("form", { name: "Report a roadblock" });
  await form.getByLabel("What blocks").fill(problem);
  await form.getByLabel("Proposed solution").fill(proposal);
  await form.getByLabel("Support needed").fill("platform");
  await form.getByLabel("Blocked since").fill(wallClock(since, timeZone));
  await form.getByRole("button", { name: "Report the roadblock" }).click();
  const ok = page.getByTestId("report-roadblock-ok");
  await expect(ok).toContainText(`on ${item}`);
  const id = Number(/#(\d+)/.exec((await ok.textContent()) ?? "")![1]);

  // Counted at once: open since the time given, a day of blocked time more.
  const reported = await getJson<Blockers>(request, "/api/teams/payments/metrics/blockers");
  expect(reported.open.find((o) => o.key === item)?.blocked_since).toBe(since.toISOString().replace(".000Z", "Z"));
  expect(blockedHours(reported, item)).toBeGreaterThanOrEqual(hoursBefore + 24);

  // The blockers card shows it with its proposal, linking to the report's page.
  await page.goto("/teams/payments");
  const row = page.getByTestId("card-blockers").locator("li", { has: page.getByTestId("blocker-item").getByText(item, { exact: true }) });
  await expect(row.getByTestId("blocker-proposal")).toHaveText(`proposal: ${proposal}`);
  await expect(row.getByTestId("blocker-proposal")).toHaveAttribute("href", `/teams/payments/roadblocks/${id}`);

  // The roadblocks page lists it among the open ones, waiting for an answer.
  await page.goto("/teams/payments/roadblocks");
  const entry = page.getByTestId("roadblocks-open").locator(`[data-roadblock-id="${id}"]`);
  await expect(entry).toContainText(problem);
  await expect(entry.getByTestId("roadblock-waiting")).toHaveText("waiting less than a day for an answer");

  // A reviewer answers on its page.
  await page.goto(`/teams/payments/roadblocks/${id}`);
  await expect(page.getByTestId("roadblock-proposal")).toHaveText(proposal);
  const answer = page.getByRole("form", { name: "Answer the roadblock" });
  await answer.getByLabel("resolved (ends the block)").check();
  await answer.getByLabel("Written decision").fill("Platform rotated the keys");
  await answer.getByRole("button", { name: "Record the decision" }).click();
  // The page is drawn again at once: an ended roadblock takes no more answers, so the form (and
  // its message) give way to the new state.
  await expect(page.getByTestId("roadblock-state")).toContainText("Ended");
  await page.reload();
  await expect(page.getByTestId("roadblock-state")).toContainText("Ended");
  await expect(page.getByTestId("roadblock-history").locator("li")).toHaveCount(2);
  await expect(page.getByRole("form", { name: "Answer the roadblock" })).toHaveCount(0);

  // The block has ended: not open any more, its day counted and no more.
  const after = await getJson<Blockers>(request, "/api/teams/payments/metrics/blockers");
  expect(after.open.map((o) => o.key)).not.toContain(item);
  const hoursAfter = blockedHours(after, item);
  expect(hoursAfter).toBeGreaterThanOrEqual(hoursBefore + 24);
  expect(hoursAfter).toBeLessThan(blockedHours(reported, item) + 1);

  await page.goto("/teams/payments");
  await expect(page.getByTestId("card-blockers").getByTestId("blocker-item").getByText(item, { exact: true })).toHaveCount(0);

  // Its answer is in the decisions log, with its own page.
  await page.goto("/teams/payments/decisions");
  await page.getByTestId("decisions").getByRole("link", { name: `Resolved: ${item}` }).first().click();
  await expect(page.getByTestId("decision-rationale")).toHaveText("Platform rotated the keys");
});
