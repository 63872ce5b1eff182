import { expect, test } from "@playwright/test";

// The e2e server runs a fake Jira Cloud site (recorded payloads, tests/fixtures/jira) on PORT + 2
// and allows the app to fetch loopback; its token is in THROUGHLINE_SECRET_E2E_JIRA.
const JIRA_PORT = Number(process.env.E2E_PORT ?? 3100) + 2;
const JIRA_URL = `http://127.0.0.1:${JIRA_PORT}`;
const TEAM = "jira-e2e";

test("an admin adds a Jira source, tests it, syncs it, reviews its mapping and sees it applied", async ({ page, request }) => {
  await page.goto("/settings");
  await page.getByRole("link", { name: /add a source/ }).click();
  await expect(page).toHaveURL(/\/settings\/sources$/);

  const form = page.getByRole("form", { name: "Add a source" });
  await form.getByLabel("Name", { exact: true }).fill("e2e-jira");
  await form.getByLabel("Tracker").selectOption("jira");
  await form.getByLabel("Team key", { exact: true }).fill(TEAM);
  await form.getByLabel("Token from env var").fill("THROUGHLINE_SECRET_E2E_JIRA");
  await form.getByLabel("Site URL").fill(JIRA_URL);
  await form.getByLabel("Account email").fill("sync-bot@example.com");
  await form.getByLabel("JQL").fill("project in (SP, EE, K5) ORDER BY Rank ASC");
  await form.getByRole("button", { name: "Add source" }).click();
  await expect(page).toHaveURL(/\/settings\/sources\/e2e-jira$/);
  await expect(page.getByTestId("source-summary")).toContainText("THROUGHLINE_SECRET_E2E_JIRA set");

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("source-test-ok")).toHaveText(new RegExp(`^Connected: Signed in to 127\\.0\\.0\\.1:${JIRA_PORT} as Sync Bot: about \\d+ issues? match`));

  await page.getByRole("button", { name: "Sync now" }).click();
  const synced = page.getByTestId("source-sync-ok");
  await expect(synced).toHaveText(/^Synced: fetched \d+, mapped \d+, stored \d+, unchanged 0, skipped \d+, deleted 0, repaired \d+\.$/, { timeout: 20_000 });
  const stored = Number(/stored (\d+)/.exec((await synced.textContent()) ?? "")![1]);
  expect(stored).toBeGreaterThan(0);

  // The history and the mapping review, with every stored item in exactly one status now.
  await page.reload();
  const runs = page.getByTestId("sync-runs").locator("tbody tr");
  await expect(runs.first()).toHaveAttribute("data-status", "succeeded");
  await expect(runs.first()).toContainText(`stored ${stored}`);
  const rows = page.getByTestId("mapping").locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(1);
  const nowCounts = (await page.getByTestId("items-now").allTextContents()).map(Number);
  const unlisted = page.getByTestId("unlisted-statuses").locator("li");
  const unlistedNow = (await unlisted.allTextContents()).map((t) => Number(/(\d+) now/.exec(t)![1]));
  expect(nowCounts.reduce((a, b) => a + b, 0) + unlistedNow.reduce((a, b) => a + b, 0)).toBe(stored);

  // Map a busy status to another category: after the next sync (from the stored payloads), the
  // team's work in progress moves by exactly that status's items.
  let chosen = -1;
  let from = "";
  for (let i = 0; i < (await rows.count()); i++) {
    from = await rows.nth(i).locator("select").inputValue();
    if (nowCounts[i]! > 0 && from !== "done") {
      chosen = i;
      break;
    }
  }
  expect(chosen, "the fixture has items now in a status not done").toBeGreaterThanOrEqual(0);
  const to = from === "todo" ? "in_progress" : "done";
  const status = (await rows.nth(chosen).getAttribute("data-status"))!;
  const wipNow = async () => ((await (await request.get(`/api/teams/${TEAM}/metrics/wip`)).json()) as { daily: { wip: number }[] }).daily.at(-1)!.wip;
  const wipBefore = await wipNow();
  await rows.nth(chosen).locator("select").selectOption(to);
  await page.getByRole("button", { name: "Save mapping" }).click();
  await expect(page.getByTestId("mapping-ok")).toHaveText(/^Mapping saved/);
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByTestId("source-sync-ok")).toHaveText(/^Synced: /, { timeout: 20_000 });
  expect(await wipNow()).toBe(wipBefore + (to === "in_progress" ? nowCounts[chosen]! : -nowCounts[chosen]!));
  await page.reload();
  const row = page.locator(`[data-testid=mapping] tbody tr[data-status="${status}"]`);
  await expect(row).toHaveAttribute("data-reviewed", "true");
  await expect(row.locator("select")).toHaveValue(to);

  // The list shows the source and its last sync; the team's dashboard says how fresh its data is.
  await page.goto("/settings/sources");
  await expect(page.locator("[data-source=e2e-jira]")).toContainText(/succeeded just now · fetched \d+/);
  await page.goto(`/teams/${TEAM}`);
  await expect(page.getByTestId("freshness")).toHaveText(/^Data updated just now\.$/);

  // A bad setting is refused with the field it names, and nothing is added.
  await page.goto("/settings/sources");
  await form.getByLabel("Name", { exact: true }).fill("e2e-bad");
  await form.getByLabel("Team key", { exact: true }).fill(TEAM);
  await form.getByLabel("Token from env var").fill("THROUGHLINE_SECRET_E2E_JIRA");
  await form.getByLabel("Site URL").fill("not a url");
  await form.getByLabel("Account email").fill("sync-bot@example.com");
  await form.getByLabel("JQL").fill("project = SP");
  await form.getByRole("button", { name: "Add source" }).click();
  await expect(page.getByTestId("source-error")).toHaveText(/siteUrl: must be an http\(s\) URL/);
  await page.reload();
  await expect(page.locator("[data-source=e2e-bad]")).toHaveCount(0);
});
